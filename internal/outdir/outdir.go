package outdir

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// LockName is the lock file a leasesim process keeps in a directory while it writes it.
const LockName = ".leasesim.lock"

// Dir is an output directory held by this process until Release.
type Dir struct {
	// Path is the directory.
	Path string
	lock string
}

// Prepare creates dir (and its parents), checks that files can be created in it, and
// takes its lock. It fails when another live leasesim process holds the lock; a lock
// left by a process that no longer runs is taken over. The error names the flag (for
// example "--out") so that the user knows which argument to change.
func Prepare(flag, dir string) (*Dir, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("%s %s: cannot create the directory: %w", flag, dir, err)
	}
	lock := filepath.Join(dir, LockName)
	for attempt := 0; attempt < 2; attempt++ {
		f, err := os.OpenFile(lock, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err == nil {
			_, werr := fmt.Fprintf(f, "%d\n", os.Getpid())
			cerr := f.Close()
			if werr != nil || cerr != nil {
				os.Remove(lock)
				return nil, fmt.Errorf("%s %s: the directory is not writable: %w", flag, dir, errors.Join(werr, cerr))
			}
			return &Dir{Path: dir, lock: lock}, nil
		}
		if !errors.Is(err, os.ErrExist) {
			return nil, fmt.Errorf("%s %s: the directory is not writable: %w", flag, dir, err)
		}
		pid, alive := holder(lock)
		if alive {
			return nil, fmt.Errorf("%s %s: another leasesim process (pid %d) is writing this directory; wait for it or choose another directory", flag, dir, pid)
		}
		// A stale lock: its process is gone. Remove it and try once more.
		if err := os.Remove(lock); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%s %s: cannot remove the stale lock %s: %w", flag, dir, lock, err)
		}
	}
	return nil, fmt.Errorf("%s %s: another leasesim process took the lock at the same time", flag, dir)
}

// Release removes the lock. It is safe to call more than once and on a nil Dir.
func (d *Dir) Release() {
	if d == nil || d.lock == "" {
		return
	}
	os.Remove(d.lock)
	d.lock = ""
}

// holder reads the pid in a lock file and says whether that process still runs. An
// unreadable or malformed lock counts as stale.
func holder(lock string) (int, bool) {
	b, err := os.ReadFile(lock)
	if err != nil {
		return 0, false
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 0 {
		return 0, false
	}
	if pid == os.Getpid() {
		return pid, true
	}
	p, err := os.FindProcess(pid)
	if err != nil {
		return pid, false
	}
	// Signal 0 checks existence; EPERM means it exists but belongs to someone else.
	err = p.Signal(syscall.Signal(0))
	return pid, err == nil || errors.Is(err, syscall.EPERM)
}

// CheckFile checks, before any work, that path can be written later: its directory is
// created and a file can be created there. An existing file is left as it is.
func CheckFile(flag, path string) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("%s %s: cannot create its directory: %w", flag, path, err)
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return fmt.Errorf("%s %s: is a directory, expected a file", flag, path)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".check*")
	if err != nil {
		return fmt.Errorf("%s %s: cannot write there: %w", flag, path, err)
	}
	name := f.Name()
	f.Close()
	os.Remove(name)
	return nil
}

// Fresh empties sub inside the held directory (for example "failures"), so that what
// the caller writes there next is all that is there.
func (d *Dir) Fresh(sub string) (string, error) {
	p := filepath.Join(d.Path, sub)
	if err := os.RemoveAll(p); err != nil {
		return "", fmt.Errorf("cannot clear %s: %w", p, err)
	}
	if err := os.MkdirAll(p, 0o755); err != nil {
		return "", fmt.Errorf("cannot create %s: %w", p, err)
	}
	return p, nil
}
