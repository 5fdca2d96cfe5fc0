package live

import (
	"bufio"
	"io"
	"os/exec"
	"testing"
)

// BenchmarkPipeRoundTrip measures a line's round trip through a child process's stdin
// and stdout pipes (cat echoes it): twice the latency that a holder's report suffers
// before the parent stamps it, on an idle machine. doc.go explains why this error only
// lengthens recorded claims.
func BenchmarkPipeRoundTrip(b *testing.B) {
	cat, err := exec.LookPath("cat")
	if err != nil {
		b.Skip("no cat here")
	}
	cmd := exec.Command(cat)
	in, _ := cmd.StdinPipe()
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		b.Skipf("start cat: %v", err)
	}
	defer func() {
		in.Close()
		cmd.Wait()
	}()
	r := bufio.NewReader(out)
	line := []byte("write-ok 12 345 6789\n")
	b.ResetTimer()
	for range b.N {
		if _, err := in.Write(line); err != nil {
			b.Fatal(err)
		}
		if _, err := r.ReadSlice('\n'); err != nil && err != io.EOF {
			b.Fatal(err)
		}
	}
}
