package scan

import (
	"fmt"
	"sort"
)

// pluginMethods are the plugin's Dart API methods (workmanager_impl.dart in
// 0.10; the same names as static methods in 0.2).
var pluginMethods = map[string]bool{
	"initialize": true, "executeTask": true,
	"registerOneOffTask": true, "registerPeriodicTask": true, "registerProcessingTask": true,
	"registerHealthResearchTask": true, "registerContinuedProcessingTask": true,
	"cancelByUniqueName": true, "cancelByTag": true, "cancelAll": true,
	"isScheduledByUniqueName": true, "printScheduledTasks": true, "getWorkInfo": true,
	"reportProgress": true, "setProgressListener": true,
}

// maxInline is how deep calls into the app's own functions are followed.
const maxInline = 4

// wctx is the context of a walk through code.
type wctx struct {
	walk     bool   // record plugin calls and follow calls (else: evaluate only)
	platform string // "" (both), ios, android: the platform guards around the code
	root     *fnDecl
	stack    []*fnDecl
	// outer is the call, in the root function, through which a wrapper
	// was entered; registrations are reported there.
	outer     *node
	outerFile *dartFile
	via       string
	// caseLabel is the value of the switch case the code is under
	// ("" outside a case, or under several).
	caseLabel string
}

// pluginCall is a call of the plugin's API found in the code.
type pluginCall struct {
	method    string
	static    bool // 0.2's static API (Workmanager.initialize)
	args      *node
	sc        *scope
	file      *dartFile
	at        *node
	platform  string
	root      *fnDecl
	via       string
	startup   bool
	caseLabel string
}

// analyzer walks a program's functions and records plugin calls.
type analyzer struct {
	prog        *program
	calls       []*pluginCall
	seen        map[string]bool
	callees     map[*fnDecl]bool
	reached     map[*fnDecl]bool // pass 2: functions walked, as roots or inlined
	varBindings map[*varDecl]*binding
	budget      int // evaluation steps left: bounds the work on hostile input
}

func newAnalyzer(p *program) *analyzer {
	return &analyzer{prog: p, seen: map[string]bool{}, callees: map[*fnDecl]bool{},
		varBindings: map[*varDecl]*binding{}, budget: 20_000_000}
}

// allFuncs lists the program's functions in a stable order.
func (p *program) allFuncs() []*fnDecl {
	var out []*fnDecl
	for _, f := range p.funcs {
		out = append(out, f)
	}
	for _, c := range p.classes {
		for _, m := range c.methods {
			out = append(out, m)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.file.rel != b.file.rel {
			return a.file.rel < b.file.rel
		}
		return a.sig.start < b.sig.start
	})
	return out
}

// run walks every function that no other function calls (the app's entry
// points: main, the dispatcher, widget callbacks…), following calls into
// the app's own functions, and records the plugin calls it meets.
func (a *analyzer) run() {
	funcs := a.prog.allFuncs()
	// First pass: learn which functions are called (they are walked from
	// their callers, with the callers' arguments).
	for _, f := range funcs {
		a.walkRoot(f)
	}
	a.calls, a.seen = nil, map[string]bool{}
	a.reached = map[*fnDecl]bool{}
	for _, f := range funcs {
		if !a.callees[f] {
			a.walkRoot(f)
		}
	}
	// Functions called only from beyond maxInline (or from code the walk
	// did not reach) are walked on their own, with unknown parameters.
	for _, f := range funcs {
		if !a.reached[f] {
			a.walkRoot(f)
		}
	}
}

// isStartup reports whether f runs at each cold start: main, or a State's
// initState.
func isStartup(f *fnDecl) bool {
	return f != nil && (f.class == "" && f.name == "main") || (f.class != "" && f.name == "initState")
}

func (a *analyzer) walkRoot(f *fnDecl) {
	if a.reached != nil {
		a.reached[f] = true
	}
	sc := newScope(nil, f.file, f.class)
	for _, p := range f.params {
		sc.vars[p.name] = &binding{fixed: &val{kind: vUnknown, dyn: true, text: p.name}}
	}
	c := &wctx{walk: true, root: f, stack: []*fnDecl{f}}
	a.walkBody(f.body, sc, c)
}

func (a *analyzer) walkBody(body *node, sc *scope, c *wctx) {
	if body == nil {
		return
	}
	if b := body.child("block"); b != nil {
		a.walkBlock(b, sc, c)
		return
	}
	a.visitSeq(body.kids, sc, c)
}

// walkBlock walks a block's statements in order, with platform guards.
func (a *analyzer) walkBlock(b *node, parent *scope, c *wctx) {
	sc := newScope(parent, parent.file, parent.class)
	cc := *c
	for _, st := range b.kids {
		if cc.platform == "none" {
			return
		}
		switch st.kind {
		case "if_statement":
			if rest := a.walkIf(st, sc, &cc); rest != "" {
				cc.platform = narrow(cc.platform, rest)
			}
		default:
			a.visit(st, sc, &cc)
		}
	}
}

// narrow intersects a platform context with a guard.
func narrow(ctx, guard string) string {
	switch {
	case guard == "" || guard == ctx:
		return ctx
	case ctx == "":
		return guard
	}
	return "none" // contradictory guards: dead code
}

// walkIf walks an if statement; it returns the platform the rest of the
// block is narrowed to (for `if (!Platform.isIOS) return;`), or "".
func (a *analyzer) walkIf(st *node, sc *scope, c *wctx) string {
	cond := st.fieldChild("condition")
	cons := st.fieldChild("consequence")
	alt := st.fieldChild("alternative")
	guard := ""
	if cond != nil {
		pure := *c
		pure.walk = false
		if v := a.eval(cond.kids, sc, &pure); v.kind == vPlatform && v.s != "target" {
			guard = v.s
		}
		a.visit(cond, sc, c)
	}
	for _, branch := range []struct {
		n *node
		g string
	}{{cons, guard}, {alt, otherPlatform(guard)}} {
		if branch.n == nil {
			continue
		}
		bc := *c
		bc.platform = narrow(c.platform, branch.g)
		if bc.platform == "none" {
			continue
		}
		if branch.n.kind == "block" {
			a.walkBlock(branch.n, sc, &bc)
		} else if branch.n.kind == "if_statement" {
			a.walkIf(branch.n, sc, &bc)
		} else {
			a.visit(branch.n, sc, &bc)
		}
	}
	if alt == nil && guard != "" && returns(cons) {
		return otherPlatform(guard)
	}
	return ""
}

// returns reports whether a statement always leaves the function.
func returns(n *node) bool {
	if n == nil {
		return false
	}
	switch n.kind {
	case "return_statement", "throw_expression":
		return true
	case "block":
		return len(n.kids) > 0 && returns(n.kids[len(n.kids)-1])
	case "expression_statement":
		return len(n.kids) == 1 && n.kids[0].kind == "throw_expression"
	}
	return false
}

// visit walks any node: binds locals, follows calls, walks closures.
func (a *analyzer) visit(n *node, sc *scope, c *wctx) {
	if n == nil {
		return
	}
	if a.budget--; a.budget < 0 {
		return
	}
	switch n.kind {
	case "block":
		a.walkBlock(n, sc, c)
		return
	case "if_statement":
		a.walkIf(n, sc, c)
		return
	case "function_expression":
		inner := newScope(sc, sc.file, sc.class)
		if ps := n.fieldChild("parameters"); ps != nil {
			for _, p := range params(&node{kids: []*node{ps}}, sc.file.src) {
				inner.vars[p.name] = &binding{fixed: &val{kind: vUnknown, dyn: true, text: p.name}}
			}
		}
		if body := n.fieldChild("body"); body != nil {
			if b := body.child("block"); b != nil {
				a.walkBlock(b, inner, c)
			} else {
				a.visitSeq(body.kids, inner, c)
			}
		}
		return
	case "switch_statement":
		a.visit(n.fieldChild("condition"), sc, c)
		body := n.fieldChild("body")
		if body == nil {
			return
		}
		cc := *c
		var labels []string
		fresh := true // a label after statements starts a new case group
		for _, k := range body.kids {
			if k.kind != "switch_label" {
				fresh = true
				if len(labels) == 1 {
					cc.caseLabel = labels[0]
				} else {
					cc.caseLabel = ""
				}
				a.visit(k, sc, &cc)
				continue
			}
			if fresh {
				labels, fresh = nil, false
			}
			if len(k.kids) > 0 && k.kids[0].kind == "case_builtin" {
				pure := *c
				pure.walk = false
				if v, ok := a.eval(k.kids[1:], sc, &pure).str(); ok {
					labels = append(labels, v)
					continue
				}
			}
			labels = append(labels, "", "") // default or unknown: no single label
		}
		return
	case "local_variable_declaration":
		for _, d := range n.kids {
			if d.kind != "initialized_variable_definition" {
				continue
			}
			name := d.fieldChild("name")
			var seq []*node
			for _, k := range d.kids {
				if k.field == "value" {
					seq = append(seq, k)
				}
			}
			if name != nil {
				sc.vars[name.text(sc.file.src)] = &binding{seq: seq, sc: sc}
			}
			a.visitSeq(seq, sc, c)
		}
		return
	}
	a.visitSeq(n.kids, sc, c)
}

// visitSeq walks a sequence of sibling nodes: each head with its selectors
// is a chain (a call, a member access), evaluated in walk mode; then every
// node is visited for nested code.
func (a *analyzer) visitSeq(kids []*node, sc *scope, c *wctx) {
	for i := 0; i < len(kids); {
		j := i + 1
		for j < len(kids) && (kids[j].kind == "selector" || kids[j].kind == "cascade_section") {
			j++
		}
		if j > i+1 {
			a.eval(kids[i:j], sc, c)
		}
		i = j
	}
	for _, k := range kids {
		if k.kind == "function_expression" || len(k.kids) > 0 {
			a.visit(k, sc, c)
		}
	}
}

// inline walks a called function of the app with the call's arguments.
func (a *analyzer) inline(v val, args *node, at *node, sc *scope, c *wctx) {
	if !c.walk {
		return
	}
	var f *fnDecl
	var fsc *scope
	var body *node
	var ps []param
	switch v.kind {
	case vFunc:
		f = v.fn
		a.callees[f] = true
		for _, s := range c.stack {
			if s == f {
				return
			}
		}
		fsc = newScope(nil, f.file, f.class)
		body, ps = f.body, f.params
	case vClosure:
		fsc = newScope(v.sc, v.sc.file, v.sc.class)
		body = v.node.fieldChild("body")
		if p := v.node.fieldChild("parameters"); p != nil {
			ps = params(&node{kids: []*node{p}}, v.sc.file.src)
		}
	default:
		return
	}
	if len(c.stack) > maxInline {
		return
	}
	if f != nil && a.reached != nil {
		a.reached[f] = true
	}
	named, pos := a.args(args, sc)
	for _, p := range ps {
		var seq []*node
		if p.named {
			seq = named[p.name]
		} else if p.index < len(pos) {
			seq = pos[p.index]
		}
		switch {
		case seq != nil:
			fsc.vars[p.name] = &binding{seq: seq, sc: sc}
		case p.def != nil:
			fsc.vars[p.name] = &binding{seq: p.def, sc: newScope(nil, fsc.file, fsc.class)}
		default:
			fsc.vars[p.name] = &binding{fixed: &val{kind: vNull}}
		}
	}
	cc := *c
	cc.stack = append(append([]*fnDecl(nil), c.stack...), f)
	if c.outer == nil {
		cc.outer, cc.outerFile = at, sc.file
		if f != nil {
			cc.via = f.qualified()
		}
	}
	if body != nil && body.kind == "function_expression_body" || body != nil && body.kind == "function_body" {
		if b := body.child("block"); b != nil {
			a.walkBlock(b, fsc, &cc)
		} else {
			a.visitSeq(body.kids, fsc, &cc)
		}
	}
}

// record notes a plugin call.
func (a *analyzer) record(method string, static bool, args *node, at *node, sc *scope, c *wctx) {
	if !c.walk {
		return
	}
	file, pos := sc.file, at
	if c.outer != nil {
		file, pos = c.outerFile, c.outer
	}
	key := fmt.Sprintf("%s:%d:%s:%d:%s", file.rel, pos.start, sc.file.rel, at.start, c.platform)
	if a.seen[key] {
		return
	}
	a.seen[key] = true
	pc := &pluginCall{method: method, static: static, args: args, sc: sc, file: file, at: pos,
		platform: c.platform, root: c.root, caseLabel: c.caseLabel}
	if c.outer != nil {
		pc.via = fmt.Sprintf("%s (%s:%d)", c.via, sc.file.rel, at.row+1)
	}
	for _, f := range c.stack {
		if isStartup(f) {
			pc.startup = true
		}
	}
	a.calls = append(a.calls, pc)
}
