package rundir

import (
	"os"
	"path/filepath"
)

// WriteFile writes data to path through a temporary file in path's directory, synced to
// disk before it is renamed over path, so that neither an interrupted run nor a crash of
// the machine leaves a half-written file: path holds its old content or the new one. It
// creates path's directory. Every file leasesim writes whole goes through it (run
// directories, bundles, suite and sweep results).
func WriteFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	// Without the sync a crash soon after the rename can leave path empty: the rename
	// may reach the disk before the data does.
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil { // CreateTemp makes it 0600
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}
