package tune

import "sort"

// recommend picks among the safe candidates whose guard covers the analytic bound: the
// least mean unavailability (the longer lease on a tie), or with target > 0 the longest
// lease (the least issuer load) whose p99 unavailability meets the target.
func recommend(points []*Point, target float64) *Point {
	if ok := rank(points, target, true); len(ok) > 0 {
		return ok[0]
	}
	return nil
}

// eligible says whether a candidate could be recommended whatever its seeds show: its
// guard covers the analytic bound, and with target > 0 its p99 unavailability meets it.
func eligible(p *Point, target float64) bool {
	return p.GuardOverBound >= 1 && (target <= 0 || p.UnavailP99 <= target)
}

// rank returns the eligible candidates (and, with safe, only those safe on every seed)
// in the order of preference: the least mean unavailability first (the longer lease on
// a tie), or with target > 0 the longest lease first (the least issuer load; the least
// mean unavailability on a tie).
func rank(points []*Point, target float64, safe bool) []*Point {
	var ok []*Point
	for _, p := range points {
		if eligible(p, target) && (p.Safe || !safe) {
			ok = append(ok, p)
		}
	}
	sort.SliceStable(ok, func(i, j int) bool {
		if target > 0 {
			if ok[i].lease != ok[j].lease {
				return ok[i].lease > ok[j].lease // longest renew, least load
			}
			return ok[i].UnavailMean < ok[j].UnavailMean
		}
		if ok[i].UnavailMean != ok[j].UnavailMean {
			return ok[i].UnavailMean < ok[j].UnavailMean
		}
		return ok[i].lease > ok[j].lease
	})
	return ok
}
