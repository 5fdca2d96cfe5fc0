package sweep

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/leasesim/leasesim/internal/rundir"
	"github.com/leasesim/leasesim/result"
)

// PointsName is the file of finished points, one JSON line each.
const PointsName = "points.jsonl"

// Record is one line of points.jsonl: a point's figures, the digest of what produced
// them (its scenario, seeds and leasesim version), and its worst seed (violations
// first, then the longest gap), for the sweep's timeline.
type Record struct {
	result.SweepPoint
	Digest     string `json:"digest"`
	WorstSeed  uint64 `json:"worst_seed"`
	WorstScore int64  `json:"worst_score"`
}

// Store is a results directory's points: those on disk when it was opened and those
// appended since. It is not safe for concurrent use.
type Store struct {
	dir     string
	records map[string]Record
	f       *os.File
}

// OpenStore opens dir (already created and locked by the caller) for the sweep that m
// describes. A directory written by a different sweep (another scenario, seed range or
// version), or holding points of unknown origin, is refused with a *BadInput that says
// which part differs. A last line cut short by an interruption is dropped.
func OpenStore(dir string, m Manifest) (*Store, error) {
	mpath, ppath := filepath.Join(dir, ManifestName), filepath.Join(dir, PointsName)
	raw, err := os.ReadFile(mpath)
	switch {
	case err == nil:
		var have Manifest
		if err := json.Unmarshal(raw, &have); err != nil {
			return nil, badInput("--out %s: %s is damaged (%v); remove the directory or choose another --out", dir, mpath, err)
		}
		if why := Mismatch(have, m); why != "" {
			return nil, badInput("--out %s holds a sweep that differs from this one, so its points cannot be reused: %s; choose another --out or remove the directory", dir, why)
		}
		m.Points = union(have.Points, m.Points)
	case errors.Is(err, fs.ErrNotExist):
		if _, err := os.Stat(ppath); err == nil {
			return nil, badInput("--out %s holds %s but no %s (an older leasesim wrote it), so what produced its points is unknown; choose another --out or remove the directory", dir, PointsName, ManifestName)
		}
	default:
		return nil, err
	}
	s := &Store{dir: dir, records: map[string]Record{}}
	if err := s.load(ppath); err != nil {
		return nil, err
	}
	if err := rundir.WriteFile(mpath, m.encode()); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(ppath, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	s.f = f
	return s, nil
}

// load reads points.jsonl; a last line without its newline (a write cut short) is
// dropped from the file.
func (s *Store) load(path string) error {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if i := bytes.LastIndexByte(data, '\n'); i+1 < len(data) {
		data = data[:i+1]
		if err := os.Truncate(path, int64(len(data))); err != nil {
			return err
		}
	}
	recs, err := decodeRecords(data, path)
	if err != nil {
		return badInput("%v (the file is damaged; remove it or choose another --out)", err)
	}
	for _, r := range recs {
		s.records[r.Key] = r
	}
	return nil
}

func decodeRecords(data []byte, source string) ([]Record, error) {
	var out []Record
	for n, line := range bytes.Split(data, []byte("\n")) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var r Record
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&r); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", source, n+1, err)
		}
		if r.Rates == nil {
			// Written before points carried their rate bounds: derived from the counts.
			r.Rates = result.SweepRates(r.SweepPoint)
		}
		out = append(out, r)
	}
	return out, nil
}

// ReadPoints reads the points of a points.jsonl file (for reports and merges). A last
// line cut short by an interruption is ignored.
func ReadPoints(path string) ([]result.SweepPoint, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	data = data[:bytes.LastIndexByte(data, '\n')+1]
	recs, err := decodeRecords(data, path)
	if err != nil {
		return nil, err
	}
	out := make([]result.SweepPoint, len(recs))
	for i, r := range recs {
		out[i] = r.SweepPoint
	}
	return out, nil
}

// Lookup returns the finished record of a point if one with the given digest and seed
// count is on disk.
func (s *Store) Lookup(key, digest string, seeds int) (Record, bool) {
	r, ok := s.records[key]
	return r, ok && r.Digest == digest && r.Seeds == seeds && r.Error == ""
}

// Append writes one finished point as one complete JSON line, synced to disk before it
// returns.
func (s *Store) Append(r Record) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	if _, err := s.f.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("%s: %w", s.f.Name(), err)
	}
	if err := s.f.Sync(); err != nil {
		return fmt.Errorf("%s: %w", s.f.Name(), err)
	}
	s.records[r.Key] = r
	return nil
}

// Finish rewrites points.jsonl with every record (of this sweep and earlier ones into
// the same directory), one per point, in the order of swept's values then key, so that
// the file does not depend on the order in which points finished.
func (s *Store) Finish(swept []string) error {
	if err := s.Close(); err != nil {
		return err
	}
	pts := make([]result.SweepPoint, 0, len(s.records))
	for _, r := range s.records {
		pts = append(pts, r.SweepPoint)
	}
	result.SortPoints(swept, pts)
	var b bytes.Buffer
	for _, p := range pts {
		line, err := json.Marshal(s.records[p.Key])
		if err != nil {
			return err
		}
		b.Write(append(line, '\n'))
	}
	return rundir.WriteFile(filepath.Join(s.dir, PointsName), b.Bytes())
}

// Close closes points.jsonl; what was appended stays.
func (s *Store) Close() error {
	if s.f == nil {
		return nil
	}
	err := s.f.Close()
	s.f = nil
	return err
}

func union(a, b []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range append(append([]string{}, a...), b...) {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
