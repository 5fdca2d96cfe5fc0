package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestRun checks the comparison with the known-survivors file: a listed survivor passes,
// one that moved to another line still passes, a new one fails with exit 1 and is named,
// and bad input exits 2 naming the file, line and field.
func TestRun(t *testing.T) {
	dir := t.TempDir()
	pkg := filepath.Join(dir, "pkg")
	if err := os.MkdirAll(pkg, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(name, text string) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("pkg/a.go", "package pkg\n\nfunc f(x int) bool {\n\treturn x < 3\n}\n\nfunc g(x int) int {\n\treturn x + 1\n}\n\nfunc h(x int) bool {\n\treturn x < 3\n}\n")
	rep := func(line, col int) string {
		return `{"files":[{"file_name":"a.go","mutations":[` +
			`{"type":"CONDITIONALS_BOUNDARY","status":"LIVED","line":` + itoa(line) + `,"column":` + itoa(col) + `},` +
			`{"type":"ARITHMETIC_BASE","status":"KILLED","line":8,"column":11}]}]}`
	}
	known := write("known.txt", "# comment\n"+pkg+"/a.go\tCONDITIONALS_BOUNDARY\t9\treturn x < 3\tequivalent: x never equals 3\n")
	for _, tc := range []struct {
		name   string
		args   []string
		status int
		out    string
	}{
		{"known survivor", []string{"-known", known, pkg + "=" + write("r1.json", rep(4, 11))}, 0, "no new surviving mutant"},
		{"known survivor moved down", []string{"-known", known, pkg + "=" + write("r8.json", rep(12, 11))}, 0, "no new surviving mutant"},
		{"new survivor", []string{"-known", known, pkg + "=" + write("r2.json", rep(8, 11))}, 1, "1 new surviving mutant"},
		{"counts", []string{pkg + "=" + write("r3.json", rep(4, 11))}, 0, "2 mutants ran: 1 killed, 1 survived, 0 timed out"},
		{"write", []string{"-write", pkg + "=" + write("r4.json", rep(4, 11))}, 0, "CONDITIONALS_BOUNDARY\t9\treturn x < 3\tTODO"},
		{"no report", []string{pkg + "=" + filepath.Join(dir, "missing.json")}, 2, ""},
		{"bad argument", []string{"report.json"}, 2, ""},
		{"mutant outside the file", []string{pkg + "=" + write("r5.json", rep(40, 1))}, 2, ""},
		{"known line without a reason", []string{"-known", write("k2.txt", "a.go\tX\t1\tsrc\t\n"), pkg + "=" + write("r6.json", rep(4, 11))}, 2, ""},
		{"known line with a bad column", []string{"-known", write("k3.txt", "a.go\tX\tone\tsrc\twhy\n"), pkg + "=" + write("r7.json", rep(4, 11))}, 2, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			if got := run(tc.args, &out, &errb); got != tc.status {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", got, tc.status, out.String(), errb.String())
			}
			if !strings.Contains(out.String(), tc.out) {
				t.Errorf("output lacks %q:\n%s", tc.out, out.String())
			}
			if tc.status == 2 && errb.Len() == 0 {
				t.Error("bad input without a message")
			}
		})
	}
}

func itoa(n int) string {
	return strconv.Itoa(n)
}

// TestRunNotesOnlyCoveredFiles: a listed survivor that did not survive is noted when the
// reports cover its file, and not when the run left its file out (the CI sample).
func TestRunNotesOnlyCoveredFiles(t *testing.T) {
	dir := t.TempDir()
	pkg := filepath.Join(dir, "pkg")
	if err := os.MkdirAll(pkg, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(pkg, "a.go"), []byte("package pkg\n\nfunc g(x int) int {\n\treturn x + 1\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	known := filepath.Join(dir, "known.txt")
	list := pkg + "/a.go\tARITHMETIC_BASE\t9\treturn x + 1\tleft\n" + pkg + "/b.go\tARITHMETIC_BASE\t9\treturn y + 1\tleft\n"
	report := filepath.Join(dir, "r.json")
	for name, text := range map[string]string{known: list,
		report: `{"files":[{"file_name":"a.go","mutations":[{"type":"ARITHMETIC_BASE","status":"KILLED","line":4,"column":11}]}]}`} {
		if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var out, errb bytes.Buffer
	if got := run([]string{"-known", known, pkg + "=" + report}, &out, &errb); got != 0 {
		t.Fatalf("exit %d, want 0\nstdout: %s\nstderr: %s", got, out.String(), errb.String())
	}
	if !strings.Contains(out.String(), "did not survive this run (killed, timed out or not run): "+pkg+"/a.go") {
		t.Errorf("no note for a.go's listed survivor, which was killed:\n%s", out.String())
	}
	if strings.Contains(out.String(), "b.go") {
		t.Errorf("a note for b.go, which the run did not cover:\n%s", out.String())
	}
}
