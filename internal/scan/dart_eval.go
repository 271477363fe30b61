package scan

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// vkind is the kind of an abstract value.
type vkind int

const (
	vUnknown     vkind = iota
	vString            // s
	vInt               // i
	vDouble            // f
	vBool              // b
	vNull              //
	vDuration          // d
	vPlugin            // a Workmanager instance
	vPluginClass       // the Workmanager class (0.2's static API, or a constructor call to come)
	vEnumType          // s: the enum's name
	vEnum              // s: type, name: value
	vType              // s: a known library type (Duration, Constraints, Platform, DateTime…)
	vPlatform          // s: ios | android: a Platform.isIOS-style test
	vConstraints       // fields
	vMap               // keys, fields
	vFunc              // fn
	vClosure           // node, sc
	vClass             // s: a user class
	vInstance          // s: a user class
	vPrefix            // s: an import prefix
)

// val is an abstract value: what static analysis knows of a Dart value.
type val struct {
	kind   vkind
	s      string
	name   string
	i      int64
	f      float64
	b      bool
	d      time.Duration
	fn     *fnDecl
	node   *node
	sc     *scope
	fields map[string]val
	keys   []string
	// dyn: the value is not known statically; text is the Dart source.
	dyn       bool
	text      string
	timeOfDay bool // computed from the time of day (DateTime, TimeOfDay)
	// clock is the time of day ("10:00") a DateTime(y, m, d, h[, min])
	// in the value's computation names, when known.
	clock string
	// nowMs is a string whose unknown parts are all timestamps, written
	// with format v1.1's ${now_ms}.
	nowMs string
}

// isEpochMillis reports whether an interpolation ends in
// .millisecondsSinceEpoch.
func isEpochMillis(t *node, src []byte) bool {
	if len(t.kids) == 0 {
		return false
	}
	last := t.kids[len(t.kids)-1]
	m, _ := selectorParts(last, src)
	return last.kind == "selector" && m == "millisecondsSinceEpoch"
}

var unknown = val{kind: vUnknown, dyn: true}

// str returns the value as a string, if it is a known one.
func (v val) str() (string, bool) {
	switch v.kind {
	case vString:
		return v.s, !v.dyn
	case vInt:
		return strconv.FormatInt(v.i, 10), true
	case vBool:
		return strconv.FormatBool(v.b), true
	}
	return "", false
}

// scope is a lexical scope: a block's locals or a call's parameters.
type scope struct {
	parent *scope
	vars   map[string]*binding
	class  string
	file   *dartFile
}

func newScope(parent *scope, file *dartFile, class string) *scope {
	return &scope{parent: parent, vars: map[string]*binding{}, class: class, file: file}
}

func (s *scope) lookup(name string) *binding {
	for ; s != nil; s = s.parent {
		if b, ok := s.vars[name]; ok {
			return b
		}
	}
	return nil
}

// binding is a variable's value: an expression evaluated lazily in its
// scope, or a fixed value.
type binding struct {
	seq        []*node
	sc         *scope
	fixed      *val
	memo       *val
	evaluating bool
}

// knownEnums are the plugin's enum types (workmanager_platform_interface)
// and Flutter's TargetPlatform.
var knownEnums = map[string]bool{"NetworkType": true, "ExistingWorkPolicy": true,
	"ExistingPeriodicWorkPolicy": true, "BackoffPolicy": true, "OutOfQuotaPolicy": true,
	"TargetPlatform": true, "ForegroundServiceType": true}

// knownTypes are library types the analysis understands.
var knownTypes = map[string]bool{"Duration": true, "Constraints": true, "Platform": true,
	"DateTime": true, "TimeOfDay": true}

// eval evaluates an expression written as a head and its selectors.
func (a *analyzer) eval(seq []*node, sc *scope, c *wctx) val {
	if len(seq) == 0 {
		return unknown
	}
	if a.budget--; a.budget < 0 {
		return unknown
	}
	cur := a.head(seq[0], sc, c)
	cascadeBase := cur
	for i := 1; i < len(seq); i++ {
		s := seq[i]
		switch s.kind {
		case "selector":
			member, call := selectorParts(s, sc.file.src)
			if member != "" {
				if i+1 < len(seq) && seq[i+1].kind == "selector" {
					if _, nextCall := selectorParts(seq[i+1], sc.file.src); nextCall != nil && len(seq[i+1].kids) > 0 && seq[i+1].kids[0].kind == "argument_part" {
						cur = a.callMethod(cur, member, nextCall, seq[0], sc, c)
						i++
						cascadeBase = cur
						continue
					}
				}
				cur = a.member(cur, member, sc)
			} else if call != nil {
				cur = a.call(cur, call, seq[0], sc, c)
			}
			cascadeBase = cur
		case "cascade_section":
			sel := s.child("cascade_selector")
			ap := s.child("argument_part")
			if sel != nil && ap != nil {
				name := sel.text(sc.file.src)
				if id := sel.child("identifier"); id != nil {
					name = id.text(sc.file.src)
				}
				a.callMethod(cascadeBase, name, ap.child("arguments"), s, sc, c)
			}
			cur = cascadeBase
		default:
			return a.opaque(seq, sc, c)
		}
	}
	if cur.kind == vUnknown && cur.text == "" {
		cur.text = seqText(seq, sc.file.src)
	}
	return cur
}

// selectorParts reads a selector: a member name (`.name`, `?.name`) or a
// call's arguments.
func selectorParts(s *node, src []byte) (member string, call *node) {
	if len(s.kids) == 0 {
		return "", nil
	}
	k := s.kids[0]
	switch k.kind {
	case "unconditional_assignable_selector", "conditional_assignable_selector":
		if id := k.child("identifier"); id != nil {
			return id.text(src), nil
		}
	case "argument_part":
		if args := k.child("arguments"); args != nil {
			return "", args
		}
		return "", &node{kind: "arguments"}
	}
	return "", nil
}

// maxText bounds the Dart text a value keeps (for messages and comments):
// deeply nested input must not make every level copy the rest of the file.
const maxText = 160

func seqText(seq []*node, src []byte) string {
	if len(seq) == 0 {
		return ""
	}
	start, end := seq[0].start, seq[len(seq)-1].end
	if end > start+maxText {
		return (&node{start: start, end: start + maxText}).text(src) + "…"
	}
	return (&node{start: start, end: end}).text(src)
}

// head evaluates the first node of an expression.
func (a *analyzer) head(n *node, sc *scope, c *wctx) val {
	src := sc.file.src
	switch n.kind {
	case "identifier":
		return a.resolve(n.text(src), sc, c)
	case "this":
		return val{kind: vInstance, s: sc.class}
	case "string_literal":
		v := val{kind: vString}
		subs := map[*node]val{}
		s, ok := lexString(n, src, func(t *node) (string, bool) {
			var sv val
			if len(t.kids) == 1 && t.kids[0].kind == "identifier_dollar_escaped" {
				sv = a.resolve(strings.TrimPrefix(t.kids[0].text(src), "$"), sc, c)
			} else {
				sv = a.eval(t.kids, sc, c)
			}
			if sv.timeOfDay {
				v.timeOfDay = true
			}
			subs[t] = sv
			return sv.str()
		})
		v.s, v.dyn = s, !ok
		if !ok {
			v.text = seqText([]*node{n}, src)
			// A timestamp (DateTime.now().millisecondsSinceEpoch) is format
			// v1.1's ${now_ms}: keep that form when it is the only unknown.
			if tmpl, ok := lexString(n, src, func(t *node) (string, bool) {
				if isEpochMillis(t, src) && subs[t].timeOfDay {
					return "${now_ms}", true
				}
				return subs[t].str()
			}); ok {
				v.nowMs = tmpl
			}
		}
		return v
	case "decimal_integer_literal", "hex_integer_literal":
		i, err := strconv.ParseInt(strings.ReplaceAll(n.text(src), "_", ""), 0, 64)
		if err != nil {
			return a.opaque([]*node{n}, sc, c)
		}
		return val{kind: vInt, i: i}
	case "decimal_floating_point_literal":
		f, err := strconv.ParseFloat(strings.ReplaceAll(n.text(src), "_", ""), 64)
		if err != nil {
			return a.opaque([]*node{n}, sc, c)
		}
		return val{kind: vDouble, f: f}
	case "true", "false":
		return val{kind: vBool, b: n.kind == "true"}
	case "null_literal":
		return val{kind: vNull}
	case "const_object_expression", "new_expression":
		var typ val = unknown
		for _, k := range n.kids {
			if k.kind == "type_identifier" {
				typ = a.resolve(k.text(src), sc, c)
			}
		}
		if args := n.child("arguments"); args != nil {
			return a.call(typ, args, n, sc, c)
		}
		return a.opaque([]*node{n}, sc, c)
	case "set_or_map_literal":
		v := val{kind: vMap, fields: map[string]val{}}
		for _, p := range n.kids {
			if p.kind != "pair" {
				continue
			}
			key := p.fieldChild("key")
			var kv val = unknown
			var valSeq []*node
			for _, k := range p.kids {
				if k.field == "value" {
					valSeq = append(valSeq, k)
				}
			}
			if key != nil {
				kv = a.head(key, sc, c)
			}
			if ks, ok := kv.str(); ok {
				v.keys = append(v.keys, ks)
				v.fields[ks] = a.eval(valSeq, sc, c)
			} else {
				v.dyn = true
			}
		}
		v.text = seqText([]*node{n}, src)
		return v
	case "function_expression":
		return val{kind: vClosure, node: n, sc: sc}
	case "parenthesized_expression", "await_expression":
		return a.eval(n.kids, sc, c)
	case "unary_expression":
		if len(n.kids) > 0 && n.kids[0].kind == "prefix_operator" {
			inner := a.eval(n.kids[1:], sc, c)
			if inner.kind == vPlatform && n.kids[0].child("negation_operator") != nil {
				return val{kind: vPlatform, s: otherPlatform(inner.s)}
			}
			return a.opaque([]*node{n}, sc, c)
		}
		return a.eval(n.kids, sc, c)
	case "equality_expression":
		// defaultTargetPlatform == TargetPlatform.iOS
		var l, r []*node
		op := ""
		for _, k := range n.kids {
			switch {
			case k.kind == "equality_operator":
				op = k.text(src)
			case op == "":
				l = append(l, k)
			default:
				r = append(r, k)
			}
		}
		lv, rv := a.eval(l, sc, c), a.eval(r, sc, c)
		for _, pair := range [][2]val{{lv, rv}, {rv, lv}} {
			if pair[0].kind == vPlatform && pair[0].s == "target" && pair[1].kind == vEnum && pair[1].s == "TargetPlatform" {
				p := map[string]string{"iOS": "ios", "android": "android"}[pair[1].name]
				if p == "" {
					break
				}
				if op == "!=" {
					p = otherPlatform(p)
				}
				return val{kind: vPlatform, s: p}
			}
		}
		return a.opaque([]*node{n}, sc, c)
	case "logical_and_expression", "logical_or_expression":
		// Platform.isIOS && …: the first platform test decides; good enough
		// for the guards apps write.
		var part []*node
		flush := func() *val {
			if len(part) == 0 {
				return nil
			}
			v := a.eval(part, sc, c)
			part = nil
			if v.kind == vPlatform && v.s != "target" {
				return &v
			}
			return nil
		}
		for _, k := range n.kids {
			if k.kind == "logical_and_operator" || k.kind == "logical_or_operator" {
				if v := flush(); v != nil {
					return *v
				}
				continue
			}
			part = append(part, k)
		}
		if v := flush(); v != nil {
			return *v
		}
		return a.opaque([]*node{n}, sc, c)
	case "additive_expression":
		return a.additive(n, sc, c)
	}
	return a.opaque([]*node{n}, sc, c)
}

// additive evaluates `a + b` for strings and durations.
func (a *analyzer) additive(n *node, sc *scope, c *wctx) val {
	var operands [][]*node
	var ops []string
	var part []*node
	for _, k := range n.kids {
		if k.kind == "additive_operator" {
			operands = append(operands, part)
			ops = append(ops, k.text(sc.file.src))
			part = nil
			continue
		}
		part = append(part, k)
	}
	operands = append(operands, part)
	acc := a.eval(operands[0], sc, c)
	for i, op := range ops {
		r := a.eval(operands[i+1], sc, c)
		switch {
		case acc.kind == vString && r.kind == vString && op == "+":
			acc = val{kind: vString, s: acc.s + r.s, dyn: acc.dyn || r.dyn}
		case acc.kind == vDuration && r.kind == vDuration && !acc.dyn && !r.dyn:
			if op == "+" {
				acc.d += r.d
			} else {
				acc.d -= r.d
			}
		default:
			return a.opaque([]*node{n}, sc, c)
		}
	}
	if acc.dyn {
		acc.text = seqText([]*node{n}, sc.file.src)
	}
	return acc
}

func otherPlatform(p string) string {
	switch p {
	case "ios":
		return "android"
	case "android":
		return "ios"
	}
	return p
}

// opaque is the value of an expression the analysis does not follow: its
// source text, and whether it depends on the time of day.
func (a *analyzer) opaque(seq []*node, sc *scope, c *wctx) val {
	v := val{kind: vUnknown, dyn: true, text: seqText(seq, sc.file.src)}
	src := sc.file.src
	// Look at most maxOpaqueNodes nodes deep: a time-of-day computation is
	// a short expression, and nested input must stay linear.
	left := maxOpaqueNodes
	for _, n := range seq {
		n.walk(func(m *node) bool {
			if left--; left < 0 || v.timeOfDay {
				return false
			}
			if m.kind == "identifier" || m.kind == "type_identifier" {
				switch name := m.text(src); name {
				case "DateTime", "TimeOfDay", "difference":
					v.timeOfDay = true
				default:
					if b := sc.lookup(name); b != nil {
						if bv := a.bindingValue(b, c); bv.timeOfDay {
							v.timeOfDay = true
							v.clock = bv.clock
						}
					}
				}
			}
			return true
		})
	}
	return v
}

const maxOpaqueNodes = 256

// resolve looks a name up: locals and parameters, the enclosing class's
// members, top-level declarations, classes, import prefixes, the plugin's
// and Flutter's names.
func (a *analyzer) resolve(name string, sc *scope, c *wctx) val {
	if b := sc.lookup(name); b != nil {
		return a.bindingValue(b, c)
	}
	if sc.class != "" {
		if cl := a.prog.classes[sc.class]; cl != nil {
			if v, ok := a.classMember(cl, name, c); ok {
				return v
			}
		}
	}
	return a.global(name, sc.file, c)
}

func (a *analyzer) global(name string, file *dartFile, c *wctx) val {
	if v := a.prog.vars[name]; v != nil {
		return a.varValue(v, c)
	}
	if f := a.prog.funcs[name]; f != nil {
		return val{kind: vFunc, fn: f}
	}
	if _, ok := a.prog.classes[name]; ok {
		return val{kind: vClass, s: name}
	}
	if file != nil {
		if uri, ok := file.prefixes[name]; ok {
			return val{kind: vPrefix, s: uri}
		}
	}
	switch {
	case name == "Workmanager":
		return val{kind: vPluginClass}
	case name == "defaultTargetPlatform":
		return val{kind: vPlatform, s: "target"}
	case knownEnums[name]:
		return val{kind: vEnumType, s: name}
	case knownTypes[name]:
		return val{kind: vType, s: name, timeOfDay: name == "DateTime" || name == "TimeOfDay"}
	}
	return val{kind: vUnknown, dyn: true, text: name}
}

func (a *analyzer) classMember(cl *classDecl, name string, c *wctx) (val, bool) {
	if f := cl.fields[name]; f != nil {
		return a.varValue(f, c), true
	}
	if m := cl.methods[name]; m != nil {
		return val{kind: vFunc, fn: m}, true
	}
	return val{}, false
}

// varValue evaluates a declared variable's initializer once.
func (a *analyzer) varValue(v *varDecl, c *wctx) val {
	if v.typ == "Workmanager" {
		return val{kind: vPlugin}
	}
	b := a.varBindings[v]
	if b == nil {
		b = &binding{seq: v.seq, sc: newScope(nil, v.file, v.class)}
		a.varBindings[v] = b
	}
	out := a.bindingValue(b, c)
	if out.kind == vUnknown && out.text == "" {
		out.text = v.name
	}
	return out
}

func (a *analyzer) bindingValue(b *binding, c *wctx) val {
	if b.fixed != nil {
		return *b.fixed
	}
	if b.memo != nil {
		return *b.memo
	}
	if b.evaluating || len(b.seq) == 0 {
		return unknown
	}
	b.evaluating = true
	pure := *c
	pure.walk = false
	v := a.eval(b.seq, b.sc, &pure)
	b.evaluating = false
	b.memo = &v
	return v
}

// member evaluates `v.name` (no call).
func (a *analyzer) member(v val, name string, sc *scope) val {
	switch v.kind {
	case vPrefix:
		return a.global(name, nil, &wctx{})
	case vPluginClass:
		if name == "iOSBackgroundTask" {
			// workmanager_impl.dart: static const iOSBackgroundTask = "iOSPerformFetch"
			return val{kind: vString, s: "iOSPerformFetch"}
		}
	case vEnumType:
		return val{kind: vEnum, s: v.s, name: name}
	case vType:
		switch {
		case v.s == "Platform" && name == "isIOS":
			return val{kind: vPlatform, s: "ios"}
		case v.s == "Platform" && name == "isAndroid":
			return val{kind: vPlatform, s: "android"}
		case v.s == "Duration" && name == "zero":
			return val{kind: vDuration}
		}
	case vClass, vInstance:
		if cl := a.prog.classes[v.s]; cl != nil {
			if m, ok := a.classMember(cl, name, &wctx{}); ok {
				return m
			}
		}
	}
	return val{kind: vUnknown, dyn: true, text: v.text + "." + name,
		timeOfDay: v.timeOfDay || name == "difference", clock: v.clock}
}

// call evaluates calling v with the arguments.
func (a *analyzer) call(v val, args *node, at *node, sc *scope, c *wctx) val {
	switch v.kind {
	case vPluginClass:
		return val{kind: vPlugin}
	case vType:
		named, _ := a.args(args, sc)
		switch v.s {
		case "Duration":
			return a.duration(named, sc, c)
		case "Constraints":
			out := val{kind: vConstraints, fields: map[string]val{}}
			for k, seq := range named {
				out.fields[k] = a.eval(seq, sc, c)
			}
			return out
		}
		out := val{kind: vUnknown, dyn: true, timeOfDay: v.timeOfDay, text: v.s + "(…)"}
		if v.s == "DateTime" {
			out.clock = a.clockOf(args, sc, c)
		}
		return out
	case vClass:
		return val{kind: vInstance, s: v.s}
	case vFunc, vClosure:
		a.inline(v, args, at, sc, c)
	}
	return val{kind: vUnknown, dyn: true, timeOfDay: v.timeOfDay}
}

// callMethod evaluates `v.name(args)`.
func (a *analyzer) callMethod(v val, name string, args *node, at *node, sc *scope, c *wctx) val {
	if v.kind == vPrefix {
		return a.call(a.global(name, nil, c), args, at, sc, c)
	}
	if (v.kind == vPlugin || v.kind == vPluginClass) && pluginMethods[name] {
		a.record(name, v.kind == vPluginClass, args, at, sc, c)
		return unknown
	}
	if v.kind == vClass || v.kind == vInstance {
		if cl := a.prog.classes[v.s]; cl != nil {
			if m := cl.methods[name]; m != nil {
				return a.call(val{kind: vFunc, fn: m}, args, at, sc, c)
			}
		}
		return unknown
	}
	if v.kind == vUnknown {
		// A receiver the analysis lost track of: a method name declared
		// once in the project is that method.
		if ms := a.prog.methods[name]; len(ms) == 1 {
			return a.call(val{kind: vFunc, fn: ms[0]}, args, at, sc, c)
		}
	}
	return val{kind: vUnknown, dyn: true, timeOfDay: v.timeOfDay || name == "difference", clock: v.clock, text: v.text + "." + name + "(…)"}
}

// args splits a call's arguments into named and positional expressions.
func (a *analyzer) args(args *node, sc *scope) (map[string][]*node, [][]*node) {
	named := map[string][]*node{}
	var pos [][]*node
	if args == nil {
		return named, pos
	}
	for _, k := range args.kids {
		switch k.kind {
		case "argument":
			pos = append(pos, k.kids)
		case "named_argument":
			if len(k.kids) == 0 {
				continue
			}
			label := k.kids[0]
			name := label.text(sc.file.src)
			if id := label.child("identifier"); id != nil {
				name = id.text(sc.file.src)
			}
			named[name] = k.kids[1:]
		}
	}
	return named, pos
}

// duration evaluates Duration(days:, hours:, minutes:, seconds:,
// milliseconds:, microseconds:) (dart:core Duration's constructor).
func (a *analyzer) duration(named map[string][]*node, sc *scope, c *wctx) val {
	units := map[string]time.Duration{"days": 24 * time.Hour, "hours": time.Hour,
		"minutes": time.Minute, "seconds": time.Second, "milliseconds": time.Millisecond,
		"microseconds": time.Microsecond}
	out := val{kind: vDuration}
	for k, seq := range named {
		u, ok := units[k]
		if !ok {
			out.dyn = true
			continue
		}
		v := a.eval(seq, sc, c)
		switch {
		case v.kind == vInt && !v.dyn:
			out.d += time.Duration(v.i) * u
		case v.kind == vDouble && !v.dyn:
			out.d += time.Duration(v.f * float64(u))
		default:
			out.dyn = true
			out.timeOfDay = out.timeOfDay || v.timeOfDay
		}
	}
	return out
}

// clockOf reads the hour and minute of DateTime(year, month, day, hour,
// minute) (dart:core DateTime's positional constructor) as "HH:MM".
func (a *analyzer) clockOf(args *node, sc *scope, c *wctx) string {
	_, pos := a.args(args, sc)
	if len(pos) < 4 {
		return ""
	}
	pure := *c
	pure.walk = false
	h := a.eval(pos[3], sc, &pure)
	if h.kind != vInt || h.dyn || h.i < 0 || h.i > 23 {
		return ""
	}
	m := int64(0)
	if len(pos) > 4 {
		mv := a.eval(pos[4], sc, &pure)
		if mv.kind != vInt || mv.dyn || mv.i < 0 || mv.i > 59 {
			return ""
		}
		m = mv.i
	}
	return fmt.Sprintf("%02d:%02d", h.i, m)
}
