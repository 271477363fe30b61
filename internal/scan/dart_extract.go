package scan

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/wmsim/wmsim/scenarios"
)

// initCall is a call of initialize.
type initCall struct {
	file       string
	line, col  int
	dispatcher *fnDecl
	// kind of the dispatcher argument: function (top-level), static
	// (a static method), method (an instance method), closure, unknown.
	kind     string
	text     string
	platform string
	startup  bool
	root     *fnDecl
}

// otherCall is a plugin call that is neither a registration nor
// initialize: cancel*, isScheduledByUniqueName, printScheduledTasks…
type otherCall struct {
	method    string
	file      string
	line, col int
	platform  string
	startup   bool
	inTask    bool
	arg       string // the unique name or tag, when known
	argKnown  bool
}

// handledSet is what the dispatcher's executeTask handler dispatches on.
type handledSet struct {
	found   bool            // an executeTask call was found
	names   map[string]bool // task names with a case
	all     bool            // a default case, or the handler ignores the name
	unknown bool            // the analysis could not tell (a parse error, a lookup table…)
	file    string
	line    int
	col     int
}

func (h handledSet) handles(name string) bool {
	return !h.found || h.all || h.unknown || h.names[name]
}

// dartFacts is what the Dart code does with the plugin.
type dartFacts struct {
	registrations []Registration
	inits         []initCall
	others        []otherCall
	handled       handledSet
	dispatchers   map[*fnDecl]bool
	staticAPI     bool // 0.2's static API is used
}

func pos(n *node) (int, int) { return int(n.row) + 1, int(n.col) + 1 }

// extract turns the recorded calls into facts.
func (a *analyzer) extract() *dartFacts {
	out := &dartFacts{handled: handledSet{names: map[string]bool{}}, dispatchers: map[*fnDecl]bool{}}
	pure := &wctx{}
	// The dispatchers first: calls made inside them are made from a task.
	for _, pc := range a.calls {
		if pc.static {
			out.staticAPI = true
		}
		if pc.method != "initialize" {
			continue
		}
		_, posArgs := a.args(pc.args, pc.sc)
		line, col := pos(pc.at)
		ic := initCall{file: pc.file.rel, line: line, col: col, platform: pc.platform, startup: pc.startup, kind: "unknown", root: pc.root}
		if len(posArgs) > 0 {
			ic.text = seqText(posArgs[0], pc.sc.file.src)
			v := a.eval(posArgs[0], pc.sc, pure)
			switch v.kind {
			case vFunc:
				ic.dispatcher = v.fn
				switch {
				case v.fn.class == "":
					ic.kind = "function"
				case v.fn.static:
					ic.kind = "static"
				default:
					ic.kind = "method"
				}
				out.dispatchers[v.fn] = true
			case vClosure:
				ic.kind = "closure"
			}
		}
		out.inits = append(out.inits, ic)
	}
	for _, pc := range a.calls {
		inTask := out.dispatchers[pc.root]
		switch {
		case pc.method == "initialize":
		case pc.method == "executeTask":
			a.handlerOf(pc, &out.handled)
		case strings.HasPrefix(pc.method, "register"):
			r := a.registration(pc)
			r.inTask = inTask
			if inTask {
				r.inCase = pc.caseLabel
			}
			out.registrations = append(out.registrations, r)
		default:
			line, col := pos(pc.at)
			oc := otherCall{method: pc.method, file: pc.file.rel, line: line, col: col,
				platform: pc.platform, startup: pc.startup, inTask: inTask}
			if _, posArgs := a.args(pc.args, pc.sc); len(posArgs) > 0 {
				v := a.eval(posArgs[0], pc.sc, pure)
				oc.arg, oc.argKnown = v.str()
				if !oc.argKnown {
					oc.arg = seqText(posArgs[0], pc.sc.file.src)
				}
			}
			out.others = append(out.others, oc)
		}
	}
	sort.SliceStable(out.registrations, func(i, j int) bool {
		a, b := out.registrations[i], out.registrations[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
	return out
}

func seconds(d time.Duration) *float64 {
	s := d.Seconds()
	return &s
}

// registration evaluates a register* call's arguments.
func (a *analyzer) registration(pc *pluginCall) Registration {
	pure := &wctx{}
	line, col := pos(pc.at)
	platform := pc.platform
	if platform == "" {
		platform = "both"
	}
	r := Registration{Call: pc.method, File: pc.file.rel, Line: line, Column: col, Platform: platform,
		startup: pc.startup, via: pc.via, root: pc.root, args: map[string]string{}, InputDataKeys: []string{}, Dynamic: []string{}}
	named, posArgs := a.args(pc.args, pc.sc)
	src := pc.sc.file.src
	dyn := func(field string) { r.Dynamic = append(r.Dynamic, field) }
	name := func(i int, field, arg string) string {
		if i >= len(posArgs) {
			// 0.2-era code passed them by name too.
			if seq, ok := named[arg]; ok {
				posArgs = append(posArgs, nil)
				posArgs[i] = seq
			} else {
				dyn(field)
				return ""
			}
		}
		v := a.eval(posArgs[i], pc.sc, pure)
		if s, ok := v.str(); ok {
			return s
		}
		if field == "unique_name" {
			r.uniqueNow = v.nowMs
		}
		dyn(field)
		return seqText(posArgs[i], src)
	}
	r.UniqueName = name(0, "unique_name", "uniqueName")
	r.TaskName = name(1, "task_name", "taskName")
	dur := func(arg, field string) *float64 {
		seq, ok := named[arg]
		if !ok {
			return nil
		}
		v := a.eval(seq, pc.sc, pure)
		if v.kind == vNull {
			return nil
		}
		if v.kind != vDuration || v.dyn {
			dyn(field)
			if arg == "initialDelay" && v.timeOfDay {
				r.timeOfDay, r.until = true, v.clock
			}
			return nil
		}
		r.args[arg] = scenarios.FormatDuration(v.d)
		return seconds(v.d)
	}
	r.FrequencyS = dur("frequency", "frequency_s")
	r.InitialDelayS = dur("initialDelay", "initial_delay_s")
	r.FlexS = dur("flexInterval", "flex_s")
	if seq, ok := named["constraints"]; ok {
		v := a.eval(seq, pc.sc, pure)
		if v.kind == vConstraints {
			r.Constraints = &Constraints{}
			var flow []string
			keys := make([]string, 0, len(v.fields))
			for k := range v.fields {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				f := v.fields[k]
				switch {
				case k == "networkType" && f.kind == vEnum:
					n := f.name
					r.Constraints.NetworkType = &n
					flow = append(flow, "networkType: "+n)
				case strings.HasPrefix(k, "requires") && f.kind == vBool:
					b := f.b
					switch k {
					case "requiresBatteryNotLow":
						r.Constraints.RequiresBatteryNotLow = &b
					case "requiresCharging":
						r.Constraints.RequiresCharging = &b
					case "requiresDeviceIdle":
						r.Constraints.RequiresDeviceIdle = &b
					case "requiresStorageNotLow":
						r.Constraints.RequiresStorageNotLow = &b
					default:
						continue
					}
					flow = append(flow, k+": "+strconv.FormatBool(b))
				default:
					dyn("constraints")
				}
			}
			r.args["constraints"] = "{ " + strings.Join(flow, ", ") + " }"
			if len(flow) == 0 {
				r.args["constraints"] = "{}"
			}
		} else if v.kind != vNull {
			dyn("constraints")
		}
	}
	enum := func(arg string) *string {
		seq, ok := named[arg]
		if !ok {
			return nil
		}
		v := a.eval(seq, pc.sc, pure)
		if v.kind == vEnum {
			n := v.name
			r.args[arg] = n
			return &n
		}
		if v.kind != vNull {
			dyn(map[string]string{"existingWorkPolicy": "existing_work_policy", "backoffPolicy": "backoff"}[arg])
		}
		return nil
	}
	r.ExistingWorkPolicy = enum("existingWorkPolicy")
	if p := enum("backoffPolicy"); p != nil || named["backoffPolicyDelay"] != nil {
		r.Backoff = &Backoff{Policy: p}
		if d := dur("backoffPolicyDelay", "backoff"); d != nil {
			r.Backoff.DelayS = d
		}
	}
	if seq, ok := named["inputData"]; ok {
		v := a.eval(seq, pc.sc, pure)
		switch {
		case v.kind == vMap:
			r.InputDataKeys = append(r.InputDataKeys, v.keys...)
			var flow []string
			for _, k := range v.keys {
				flow = append(flow, strconv.Quote(k)+": "+yamlValue(v.fields[k]))
			}
			r.args["inputData"] = "{ " + strings.Join(flow, ", ") + " }"
			if v.dyn {
				dyn("input_data_keys")
			}
		case v.kind != vNull:
			dyn("input_data_keys")
		}
	}
	if seq, ok := named["tag"]; ok {
		if s, known := a.eval(seq, pc.sc, pure).str(); known {
			r.tag = s
			r.args["tag"] = strconv.Quote(s)
		}
	}
	if seq, ok := named["expedited"]; ok {
		if v := a.eval(seq, pc.sc, pure); v.kind == vBool {
			r.expedited = v.b
			r.args["expedited"] = strconv.FormatBool(v.b)
		}
	}
	if seq, ok := named["outOfQuotaPolicy"]; ok {
		if v := a.eval(seq, pc.sc, pure); v.kind == vEnum {
			r.args["outOfQuotaPolicy"] = v.name
		}
	}
	return r
}

// yamlValue writes a known scalar as YAML; anything else is null.
func yamlValue(v val) string {
	if v.dyn {
		return "null"
	}
	switch v.kind {
	case vString:
		return strconv.Quote(v.s)
	case vInt:
		return strconv.FormatInt(v.i, 10)
	case vDouble:
		return strconv.FormatFloat(v.f, 'g', -1, 64)
	case vBool:
		return strconv.FormatBool(v.b)
	}
	return "null"
}

// handlerOf reads the task names an executeTask handler dispatches on.
func (a *analyzer) handlerOf(pc *pluginCall, h *handledSet) {
	h.found = true
	line, col := pos(pc.at)
	if h.file == "" {
		h.file, h.line, h.col = pc.file.rel, line, col
	}
	_, posArgs := a.args(pc.args, pc.sc)
	if len(posArgs) == 0 {
		h.unknown = true
		return
	}
	v := a.eval(posArgs[0], pc.sc, &wctx{})
	var body *node
	var ps []param
	var sc *scope
	switch v.kind {
	case vClosure:
		body, sc = v.node.fieldChild("body"), v.sc
		if p := v.node.fieldChild("parameters"); p != nil {
			ps = params(&node{kids: []*node{p}}, v.sc.file.src)
		}
	case vFunc:
		body, ps, sc = v.fn.body, v.fn.params, newScope(nil, v.fn.file, v.fn.class)
	default:
		h.unknown = true
		return
	}
	if len(ps) == 0 || body == nil {
		h.all = true // a handler that does not take the name handles them all alike
		return
	}
	a.dispatchOn(body, ps[0].name, sc, h, 0)
}

// dispatchOn reads how a body dispatches on the task-name parameter:
// switch cases, `task == X` tests, or a call passing the name on to
// another function of the app.
func (a *analyzer) dispatchOn(body *node, param string, sc *scope, h *handledSet, depth int) {
	src := sc.file.src
	inspected := false
	isParam := func(n *node) bool {
		for n != nil && n.kind == "parenthesized_expression" && len(n.kids) == 1 {
			n = n.kids[0]
		}
		return n != nil && n.kind == "identifier" && n.text(src) == param
	}
	addName := func(seq []*node) {
		v := a.eval(seq, sc, &wctx{})
		if s, ok := v.str(); ok {
			h.names[s] = true
		} else {
			h.unknown = true
		}
	}
	body.walk(func(n *node) bool {
		switch n.kind {
		case "ERROR":
			h.unknown = true
		case "switch_statement":
			cond := n.fieldChild("condition")
			if cond == nil || len(cond.kids) != 1 || !isParam(cond.kids[0]) {
				return true
			}
			inspected = true
			if blk := n.fieldChild("body"); blk != nil {
				for _, l := range blk.kids {
					if l.kind != "switch_label" {
						continue
					}
					if len(l.kids) > 0 && l.kids[0].kind == "case_builtin" {
						addName(l.kids[1:])
					} else {
						h.all = true
					}
				}
			}
		case "equality_expression":
			if len(n.kids) == 3 {
				if isParam(n.kids[0]) {
					inspected = true
					addName(n.kids[2:])
				} else if isParam(n.kids[2]) {
					inspected = true
					addName(n.kids[:1])
				}
			}
		case "arguments":
			// handle(task, …): follow into the app's function.
			for i, arg := range n.kids {
				if arg.kind != "argument" || len(arg.kids) != 1 || !isParam(arg.kids[0]) || depth >= 3 {
					continue
				}
				inspected = true
				f := a.calledFunc(n, sc)
				if f == nil || i >= len(f.params) || f.params[i].named {
					h.unknown = true
					continue
				}
				a.dispatchOn(f.body, f.params[i].name, newScope(nil, f.file, f.class), h, depth+1)
			}
		}
		return true
	})
	if !inspected {
		h.all = true
	}
}

// calledFunc finds the app function an arguments node is passed to: the
// head (and member) before the argument_part in the enclosing sequence.
func (a *analyzer) calledFunc(args *node, sc *scope) *fnDecl {
	var found *fnDecl
	src := sc.file.src
	sc.file.root.walk(func(n *node) bool {
		if found != nil {
			return false
		}
		for i, k := range n.kids {
			if k.kind != "selector" || len(k.kids) == 0 || k.kids[0].kind != "argument_part" || k.kids[0].child("arguments") != args {
				continue
			}
			if i == 0 {
				return false
			}
			prev := n.kids[i-1]
			name := ""
			if prev.kind == "identifier" {
				name = prev.text(src)
			} else if m, _ := selectorParts(prev, src); m != "" {
				name = m
			}
			if f := a.prog.funcs[name]; f != nil {
				found = f
			} else if ms := a.prog.methods[name]; len(ms) == 1 {
				found = ms[0]
			}
			return false
		}
		return true
	})
	return found
}
