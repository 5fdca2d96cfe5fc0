package outdir

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPrepareLocksAndReleases(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b")
	d, err := Prepare("--out", dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, LockName)); err != nil {
		t.Fatalf("lock not written: %v", err)
	}
	// This process holds it: a second Prepare is refused, naming the flag.
	if _, err := Prepare("--out", dir); err == nil || !strings.Contains(err.Error(), "--out") || !strings.Contains(err.Error(), "another leasesim process") {
		t.Fatalf("second Prepare = %v, want a refusal naming --out", err)
	}
	d.Release()
	d.Release()
	d2, err := Prepare("--out", dir)
	if err != nil {
		t.Fatalf("after Release: %v", err)
	}
	d2.Release()
}

func TestPrepareTakesOverStaleLock(t *testing.T) {
	dir := t.TempDir()
	// pid 0 and garbage are stale; so is a pid far above any pid_max.
	for _, content := range []string{"0\n", "garbage", "2147483600\n"} {
		if err := os.WriteFile(filepath.Join(dir, LockName), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		d, err := Prepare("--out", dir)
		if err != nil {
			t.Fatalf("stale lock %q: %v", content, err)
		}
		d.Release()
	}
}

func TestPrepareUnwritable(t *testing.T) {
	f := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(f, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Prepare("--out", filepath.Join(f, "sub")); err == nil || !strings.Contains(err.Error(), "--out") {
		t.Fatalf("Prepare under a file = %v, want an error naming --out", err)
	}
	if err := CheckFile("--junit", filepath.Join(f, "junit.xml")); err == nil || !strings.Contains(err.Error(), "--junit") {
		t.Fatalf("CheckFile under a file = %v, want an error naming --junit", err)
	}
	if err := CheckFile("--junit", t.TempDir()); err == nil {
		t.Fatal("CheckFile of a directory: want an error")
	}
}

func TestFreshEmpties(t *testing.T) {
	d, err := Prepare("--out", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer d.Release()
	old := filepath.Join(d.Path, "failures", "old-bundle")
	if err := os.MkdirAll(old, 0o755); err != nil {
		t.Fatal(err)
	}
	p, err := d.Fresh("failures")
	if err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(p)
	if len(entries) != 0 {
		t.Fatalf("Fresh left %d entries", len(entries))
	}
}
