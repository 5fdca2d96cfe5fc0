package leasesimtest

// Option configures Run and Check.
type Option func(*config)

// config is what the options set.
type config struct {
	catalog     []string
	files       []string
	random      int
	seeds       int
	shrink      bool
	determinism bool
	out         string
}

// ShortSeeds is the most seeds per scenario a run under `go test -short` uses.
const ShortSeeds = 5

// Catalog adds the built-in catalog scenarios whose names match pattern
// (path.Match syntax, without ".yaml": "lease-*", "fault-*").
func Catalog(pattern string) Option {
	return func(c *config) { c.catalog = append(c.catalog, pattern) }
}

// Files adds the scenario files matching pattern (filepath.Glob syntax:
// "testdata/*.yaml"), run as written.
func Files(pattern string) Option {
	return func(c *config) { c.files = append(c.files, pattern) }
}

// Random adds n random fault schedules drawn from RandomBase (partitions, cuts, crashes,
// pauses, slow and lossy links, clock steps and drift, then a fault-free tail in which
// the lease must be held again). Schedule i is the same in every run; each is one
// scenario "random-i" (subtests "random-i/seed=N").
func Random(n int) Option { return func(c *config) { c.random = n } }

// Seeds sets how many seeds every file and catalog scenario runs (its own seeds:
// count otherwise).
func Seeds(n int) Option { return func(c *config) { c.seeds = n } }

// Shrink shrinks a failing scenario before reporting it, with rapid as `leasesim
// explore` does (explore.Shrink): faults are removed and shortened, clock errors pulled
// to zero, and the run shortened while the failing seed still shows the same kind of
// finding; the minimal scenario is printed and written to the bundle as minimal.yaml.
func Shrink() Option { return func(c *config) { c.shrink = true } }

// CheckDeterminism runs every seed twice and fails when the two histories differ (a
// protocol that reads a wall clock, uses global randomness or depends on map order).
func CheckDeterminism() Option { return func(c *config) { c.determinism = true } }

// Out sets the directory failure bundles are written under. By default Run writes them
// to each seed's t.ArtifactDir() when go test runs with -artifacts (under its -outputdir),
// and otherwise, like Check, under os.TempDir()/leasesimtest/TEST, which outlives the
// test.
func Out(dir string) Option { return func(c *config) { c.out = dir } }
