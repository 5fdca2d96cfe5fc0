package live

import (
	"os"
	"testing"
)

// holderEnv makes the re-executed test binary act as a holder (see TestMain).
const holderEnv = "LEASESIM_LIVE_TEST_HOLDER"

// TestMain runs HolderMain instead of the tests when the test binary is re-executed as
// a holder subprocess by testConfig: the standard way to get a child process from a
// test without building another binary.
func TestMain(m *testing.M) {
	if os.Getenv(holderEnv) == "1" {
		os.Exit(HolderMain(os.Args[1:]))
	}
	os.Exit(m.Run())
}

// testHolderCommand returns the Config fields that run holders from this test binary.
func testHolderCommand(t *testing.T) (command, env []string) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatalf("os.Executable: %v", err)
	}
	return []string{exe}, []string{holderEnv + "=1"}
}
