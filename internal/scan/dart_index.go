package scan

import (
	"strconv"
	"strings"
	"unicode"
)

// dartFile is one parsed Dart file.
type dartFile struct {
	rel  string
	src  []byte
	root *node
	// prefixes maps an import prefix (`as wm`) to the imported URI.
	prefixes map[string]string
}

// fnDecl is a top-level function or a method.
type fnDecl struct {
	name, class string
	file        *dartFile
	sig         *node // function_signature (or method_signature)
	params      []param
	body        *node // function_body
	entryPoint  bool  // annotated @pragma('vm:entry-point')
	static      bool
}

func (f *fnDecl) qualified() string {
	if f.class != "" {
		return f.class + "." + f.name
	}
	return f.name
}

// param is a formal parameter.
type param struct {
	name  string
	named bool
	index int     // position among the positional parameters
	def   []*node // the default value's expression, if any
}

// varDecl is a top-level variable or a class field.
type varDecl struct {
	name, class, typ string
	file             *dartFile
	seq              []*node // the initializer's expression, nil if none
	isConst          bool
}

// classDecl is a class with its fields and methods.
type classDecl struct {
	name    string
	fields  map[string]*varDecl
	methods map[string]*fnDecl
}

// program indexes the declarations of every Dart file.
type program struct {
	files   []*dartFile
	funcs   map[string]*fnDecl
	vars    map[string]*varDecl
	classes map[string]*classDecl
	// methods lists methods by name, for calls whose receiver's class is
	// not known.
	methods map[string][]*fnDecl
}

func newProgram() *program {
	return &program{funcs: map[string]*fnDecl{}, vars: map[string]*varDecl{},
		classes: map[string]*classDecl{}, methods: map[string][]*fnDecl{}}
}

// add indexes one file's top-level declarations.
func (p *program) add(f *dartFile) {
	p.files = append(p.files, f)
	f.prefixes = map[string]string{}
	p.indexMembers(f, f.root.kids, "")
	for _, k := range f.root.kids {
		switch k.kind {
		case "import_or_export":
			spec := findKind(k, "import_specification")
			if spec == nil {
				continue
			}
			uri := stringValue(findKind(spec, "uri"), f.src)
			if id := spec.child("identifier"); id != nil {
				f.prefixes[id.text(f.src)] = uri
			}
		case "class_definition":
			name := k.fieldChild("name")
			body := k.fieldChild("body")
			if name == nil || body == nil {
				continue
			}
			c := p.class(name.text(f.src))
			p.indexMembers(f, body.kids, c.name)
		}
	}
}

func (p *program) class(name string) *classDecl {
	c := p.classes[name]
	if c == nil {
		c = &classDecl{name: name, fields: map[string]*varDecl{}, methods: map[string]*fnDecl{}}
		p.classes[name] = c
	}
	return c
}

// indexMembers reads a sequence of declarations (a program's or a class
// body's): annotations, signatures followed by bodies, variable lists.
func (p *program) indexMembers(f *dartFile, kids []*node, class string) {
	var annotations []*node
	var typ string
	isConst := false
	for i := 0; i < len(kids); i++ {
		k := kids[i]
		switch k.kind {
		case "annotation":
			annotations = append(annotations, k)
			continue
		case "declaration":
			// a class member: `final x = …;`, `static const y = …;`
			p.indexMembers(f, k.kids, class)
		case "const_builtin":
			isConst = true
			continue
		case "final_builtin", "inferred_type":
			continue
		case "type_identifier":
			typ = k.text(f.src)
			continue
		case "static_final_declaration_list", "initialized_identifier_list":
			for _, d := range k.kids {
				if len(d.kids) == 0 || d.kids[0].kind != "identifier" {
					continue
				}
				v := &varDecl{name: d.kids[0].text(f.src), class: class, typ: typ, file: f,
					seq: d.kids[1:], isConst: isConst}
				if len(v.seq) == 0 {
					v.seq = nil
				}
				if class == "" {
					p.vars[v.name] = v
				} else {
					p.class(class).fields[v.name] = v
				}
			}
		case "function_signature", "method_signature", "getter_signature":
			sig := k
			if k.kind == "method_signature" && len(k.kids) > 0 {
				sig = k.kids[len(k.kids)-1]
			}
			if i+1 >= len(kids) || kids[i+1].kind != "function_body" {
				break
			}
			name := sig.fieldChild("name")
			if name == nil {
				name = sig.child("identifier")
			}
			if name == nil {
				break
			}
			fn := &fnDecl{name: name.text(f.src), class: class, file: f, sig: k, body: kids[i+1],
				params: params(sig, f.src), entryPoint: hasEntryPointPragma(annotations, f.src),
				static: strings.HasPrefix(strings.TrimSpace(k.text(f.src)), "static")}
			if class == "" {
				p.funcs[fn.name] = fn
			} else {
				p.class(class).methods[fn.name] = fn
				p.methods[fn.name] = append(p.methods[fn.name], fn)
			}
			i++
		}
		annotations, typ, isConst = nil, "", false
	}
}

// params reads a signature's formal parameters.
func params(sig *node, src []byte) []param {
	list := sig.child("formal_parameter_list")
	if list == nil {
		return nil
	}
	var out []param
	pos := 0
	add := func(fp *node, named bool, def []*node) {
		name := fp.fieldChild("name")
		if name == nil {
			for _, k := range fp.kids {
				if k.kind == "identifier" {
					name = k
				}
				if k.kind == "constructor_param" || k.kind == "super_formal_parameter" {
					name = k.child("identifier")
				}
			}
		}
		if name == nil {
			return
		}
		pr := param{name: name.text(src), named: named, def: def}
		if !named {
			pr.index = pos
			pos++
		}
		out = append(out, pr)
	}
	for _, k := range list.kids {
		switch k.kind {
		case "formal_parameter":
			add(k, false, nil)
		case "optional_formal_parameters":
			named := strings.HasPrefix(strings.TrimSpace(k.text(src)), "{")
			for j := 0; j < len(k.kids); j++ {
				if k.kids[j].kind != "formal_parameter" {
					continue
				}
				var def []*node
				for m := j + 1; m < len(k.kids) && k.kids[m].kind != "formal_parameter"; m++ {
					def = append(def, k.kids[m])
				}
				add(k.kids[j], named, def)
			}
		}
	}
	return out
}

// hasEntryPointPragma reports whether one of the annotations is
// @pragma('vm:entry-point') (the form the Dart VM keeps through tree
// shaking and obfuscation: dart-lang/sdk runtime/docs/compiler/aot/entry_point_pragma.md).
func hasEntryPointPragma(annotations []*node, src []byte) bool {
	for _, a := range annotations {
		name := a.fieldChild("name")
		if name == nil || name.text(src) != "pragma" {
			continue
		}
		args := a.fieldChild("arguments")
		if args == nil || len(args.kids) == 0 {
			continue
		}
		if first := findKind(args.kids[0], "string_literal"); first != nil && stringValue(first, src) == "vm:entry-point" {
			return true
		}
	}
	return false
}

// findKind returns the first node of the kind in n's subtree (n included).
func findKind(n *node, kind string) *node {
	var out *node
	n.walk(func(m *node) bool {
		if out != nil {
			return false
		}
		if m.kind == kind {
			out = m
			return false
		}
		return true
	})
	return out
}

// stringValue is the value of a string literal without interpolation
// (the text between the quotes, escapes decoded); "" for nil.
func stringValue(n *node, src []byte) string {
	if n == nil {
		return ""
	}
	s, _ := lexString(n, src, nil)
	return s
}

// lexString decodes a string_literal node: adjacent literals are joined,
// escapes decoded, and each interpolation (a template_substitution child)
// replaced by sub(child) when sub is given; ok is false when sub said an
// interpolation's value is not known (or sub is nil and there is one).
//
// It walks the literal's own bytes, which the grammar has already
// delimited, quote by quote; it does not search code.
func lexString(n *node, src []byte, sub func(*node) (string, bool)) (string, bool) {
	var b strings.Builder
	ok := true
	subs := map[uint32]*node{}
	for _, k := range n.kids {
		if k.kind == "template_substitution" {
			subs[k.start] = k
		}
	}
	i, end := int(n.start), int(n.end)
	if end > len(src) {
		return "", false
	}
	for i < end {
		c := src[i]
		if c != '\'' && c != '"' && c != 'r' {
			i++ // whitespace, comments between adjacent literals
			continue
		}
		raw := false
		if c == 'r' {
			raw = true
			i++
			if i >= end {
				break
			}
		}
		q := src[i]
		if q != '\'' && q != '"' {
			i++
			continue
		}
		delim := string(q)
		if i+2 < end && src[i+1] == q && src[i+2] == q {
			delim = strings.Repeat(string(q), 3)
		}
		i += len(delim)
		for i < end {
			if strings.HasPrefix(string(src[i:min(end, i+len(delim))]), delim) {
				i += len(delim)
				break
			}
			if s, isSub := subs[uint32(i)]; isSub && !raw {
				if sub == nil {
					ok = false
					b.WriteString(s.text(src))
				} else if v, known := sub(s); known {
					b.WriteString(v)
				} else {
					ok = false
					b.WriteString(s.text(src))
				}
				i = int(s.end)
				continue
			}
			if src[i] == '\\' && !raw && i+1 < end {
				switch e := src[i+1]; e {
				case 'u', 'x':
					if r, n := unicodeEscape(src[i+2:end], e); n > 0 {
						b.WriteRune(r)
						i += 2 + n
						continue
					}
					b.WriteByte(e)
				case 'n':
					b.WriteByte('\n')
				case 't':
					b.WriteByte('\t')
				case 'r':
					b.WriteByte('\r')
				default:
					b.WriteByte(e)
				}
				i += 2
				continue
			}
			b.WriteByte(src[i])
			i++
		}
	}
	return b.String(), ok
}

// unicodeEscape decodes the digits after \x (two hex digits), \u (four)
// or \u{…} (one to six); n is the bytes used, 0 if malformed.
func unicodeEscape(s []byte, kind byte) (rune, int) {
	digits, n := 4, 0
	if kind == 'x' {
		digits = 2
	}
	if kind == 'u' && len(s) > 0 && s[0] == '{' {
		end := strings.IndexByte(string(s[:min(len(s), 9)]), '}')
		if end < 2 {
			return 0, 0
		}
		v, err := strconv.ParseUint(string(s[1:end]), 16, 32)
		if err != nil || v > unicode.MaxRune {
			return 0, 0
		}
		return rune(v), end + 1
	}
	if len(s) < digits {
		return 0, 0
	}
	v, err := strconv.ParseUint(string(s[:digits]), 16, 32)
	if err != nil {
		return 0, 0
	}
	n = digits
	return rune(v), n
}
