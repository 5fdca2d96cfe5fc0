// Package stats holds the few statistics leasesim reports over seeds: Percentile (the
// nearest-rank percentile, by gonum's empirical quantile), Median and Mean. Every
// summary in the tree — a scenario's p50/p99 over its seeds, a sweep point's figures,
// the percentile lines of the distribution plots, bench's medians — uses these, so that
// one figure means the same thing wherever it is printed.
//
// The functions never modify their argument and return 0 for no values. Mean adds the
// values in order rather than calling gonum's stat.Mean, whose vectorised sum groups
// the additions by the slice's memory alignment: a result must not depend on where a
// slice was allocated, and the results written before must stay byte-identical.
package stats
