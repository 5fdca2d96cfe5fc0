package result

import "testing"

// TestProgramName: the name people type for the running binary, whatever path or suffix
// it was started with; leasesim when the path says nothing.
func TestProgramName(t *testing.T) {
	for arg0, want := range map[string]string{
		"/home/u/go/bin/seqlock-sim":          "seqlock-sim",
		"seqlock-sim":                         "seqlock-sim",
		"./leasesim":                          "leasesim",
		"/tmp/go-build1/b001/exe/seqlock-sim": "seqlock-sim",
		"C:/tools/seqlock-sim.exe":            "seqlock-sim",
		"":                                    "leasesim",
		"/":                                   "leasesim",
	} {
		if got := ProgramName(arg0); got != want {
			t.Errorf("ProgramName(%q) = %q, want %q", arg0, got, want)
		}
	}
}

// TestCommand: a printed command starts with Program.
func TestCommand(t *testing.T) {
	defer func(p string) { Program = p }(Program)
	if got := Command("run", "x.yaml", "--seed", "3"); got != "leasesim run x.yaml --seed 3" {
		t.Errorf("Command = %q", got)
	}
	Program = "seqlock-sim"
	if got := Command("replay", "out/failures/x"); got != "seqlock-sim replay out/failures/x" {
		t.Errorf("Command with Program %q = %q", Program, got)
	}
}
