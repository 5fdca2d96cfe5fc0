package reports

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"
)

// xsdSchema is the part of XML Schema that testdata/jenkins-junit.xsd uses: global
// element declarations, each either of a simple type (text only) or a complex type with
// a sequence of element refs and attributes. Go has no XSD validator; validate checks a
// document against these declarations the way a validating parser would for this subset.
type xsdSchema struct {
	Elements []xsdElement `xml:"element"`
}

type xsdElement struct {
	Name    string      `xml:"name,attr"`
	Type    string      `xml:"type,attr"`
	Complex *xsdComplex `xml:"complexType"`
}

type xsdComplex struct {
	Mixed    bool      `xml:"mixed,attr"`
	Sequence []xsdRef  `xml:"sequence>element"`
	Attrs    []xsdAttr `xml:"attribute"`
}

type xsdRef struct {
	Ref       string `xml:"ref,attr"`
	MinOccurs string `xml:"minOccurs,attr"`
	MaxOccurs string `xml:"maxOccurs,attr"`
}

type xsdAttr struct {
	Name string `xml:"name,attr"`
	Type string `xml:"type,attr"`
	Use  string `xml:"use,attr"`
}

func loadXSD(t *testing.T, path string) map[string]xsdElement {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var s xsdSchema
	if err := xml.Unmarshal(b, &s); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	decl := map[string]xsdElement{}
	for _, e := range s.Elements {
		if e.Type != "" && e.Type != "xs:string" {
			t.Fatalf("%s: element %s: type %s is outside the subset this test reads", path, e.Name, e.Type)
		}
		decl[e.Name] = e
	}
	return decl
}

// xmlNode is a parsed element: its attributes, child elements and text.
type xmlNode struct {
	Name     string
	Attrs    []xml.Attr
	Children []*xmlNode
	Text     string
}

func parseXMLTree(b []byte) (*xmlNode, error) {
	dec := xml.NewDecoder(bytes.NewReader(b))
	var stack []*xmlNode
	var root *xmlNode
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &xmlNode{Name: tok.Name.Local, Attrs: tok.Attr}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.Children = append(p.Children, n)
			} else if root != nil {
				return nil, fmt.Errorf("second root element <%s>", n.Name)
			} else {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].Text += string(tok)
			}
		}
	}
	if root == nil {
		return nil, errors.New("no root element")
	}
	return root, nil
}

// validate checks n against the declarations: the element is declared; a text-only
// element has no children; an element without mixed content has no text; every
// attribute is declared and every required one present; the children follow the
// sequence in order with their minOccurs and maxOccurs.
func validate(decl map[string]xsdElement, n *xmlNode, path string) []error {
	path += "/" + n.Name
	d, ok := decl[n.Name]
	if !ok {
		return []error{fmt.Errorf("%s: element not declared", path)}
	}
	var errs []error
	if d.Complex == nil {
		if len(n.Children) > 0 {
			errs = append(errs, fmt.Errorf("%s: text-only element has child <%s>", path, n.Children[0].Name))
		}
		if len(n.Attrs) > 0 {
			errs = append(errs, fmt.Errorf("%s: text-only element has attribute %s", path, n.Attrs[0].Name.Local))
		}
		return errs
	}
	if !d.Complex.Mixed && strings.TrimSpace(n.Text) != "" {
		errs = append(errs, fmt.Errorf("%s: text %q in an element without mixed content", path, strings.TrimSpace(n.Text)))
	}
	declared := map[string]xsdAttr{}
	for _, a := range d.Complex.Attrs {
		declared[a.Name] = a
	}
	have := map[string]bool{}
	for _, a := range n.Attrs {
		if _, ok := declared[a.Name.Local]; !ok || a.Name.Space != "" {
			errs = append(errs, fmt.Errorf("%s: attribute %s not declared", path, a.Name.Local))
		}
		have[a.Name.Local] = true
	}
	for _, a := range d.Complex.Attrs {
		if a.Use == "required" && !have[a.Name] {
			errs = append(errs, fmt.Errorf("%s: required attribute %s missing", path, a.Name))
		}
	}
	k := 0
	for _, ref := range d.Complex.Sequence {
		lo, hi := occurs(ref)
		count := 0
		for k < len(n.Children) && n.Children[k].Name == ref.Ref {
			count++
			k++
		}
		if count < lo || (hi >= 0 && count > hi) {
			errs = append(errs, fmt.Errorf("%s: %d <%s>, want %s..%s", path, count, ref.Ref, orOne(ref.MinOccurs), orOne(ref.MaxOccurs)))
		}
	}
	if k < len(n.Children) {
		errs = append(errs, fmt.Errorf("%s: child <%s> not allowed here by the sequence", path, n.Children[k].Name))
	}
	for _, c := range n.Children {
		errs = append(errs, validate(decl, c, path)...)
	}
	return errs
}

// occurs returns minOccurs and maxOccurs (-1 for unbounded); both default to 1.
func occurs(r xsdRef) (int, int) {
	lo, hi := 1, 1
	if r.MinOccurs != "" {
		lo, _ = strconv.Atoi(r.MinOccurs)
	}
	switch r.MaxOccurs {
	case "":
	case "unbounded":
		hi = -1
	default:
		hi, _ = strconv.Atoi(r.MaxOccurs)
	}
	return lo, hi
}

func orOne(s string) string {
	if s == "" {
		return "1"
	}
	return s
}

// TestXSDValidatorRejects keeps the validator honest: each broken document is caught.
func TestXSDValidatorRejects(t *testing.T) {
	decl := loadXSD(t, "testdata/jenkins-junit.xsd")
	for _, tc := range []struct{ name, doc, want string }{
		{"valid", `<testsuites><testsuite name="s" tests="1"><testcase name="c"><failure message="m">b</failure><system-out>o</system-out></testcase></testsuite></testsuites>`, ""},
		{"missing required", `<testsuites><testsuite tests="1"/></testsuites>`, "required attribute name missing"},
		{"undeclared attribute", `<testsuites><testsuite name="s" tests="1" flaky="x"/></testsuites>`, "attribute flaky not declared"},
		{"undeclared element", `<testsuites><testrun/></testsuites>`, "child <testrun> not allowed"},
		{"wrong order", `<testsuites><testsuite name="s" tests="1"><testcase name="c"><system-out/><failure/></testcase></testsuite></testsuites>`, "child <failure> not allowed"},
		{"too many", `<testsuites><testsuite name="s" tests="1"><testcase name="c"><skipped/><skipped/></testcase></testsuite></testsuites>`, "2 <skipped>, want 0..1"},
		{"text in element-only", `<testsuites>hello</testsuites>`, `text "hello"`},
		{"child in text-only", `<testsuites><testsuite name="s" tests="1"><system-out><b/></system-out></testsuite></testsuites>`, "text-only element has child <b>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n, err := parseXMLTree([]byte(tc.doc))
			if err != nil {
				t.Fatal(err)
			}
			errs := validate(decl, n, "")
			got := errors.Join(errs...)
			switch {
			case tc.want == "" && got != nil:
				t.Errorf("valid document rejected: %v", got)
			case tc.want != "" && (got == nil || !strings.Contains(got.Error(), tc.want)):
				t.Errorf("got %v, want an error containing %q", got, tc.want)
			}
		})
	}
}
