package tune

import "sort"

// recommend picks among the safe candidates whose guard covers the analytic bound: the
// least mean unavailability (the longer lease on a tie), or with target > 0 the longest
// lease (the least issuer load) whose p99 unavailability meets the target.
func recommend(points []*Point, target float64) *Point {
	var ok []*Point
	for _, p := range points {
		if p.Safe && p.GuardOverBound >= 1 {
			ok = append(ok, p)
		}
	}
	if target > 0 {
		var meet []*Point
		for _, p := range ok {
			if p.UnavailP99 <= target {
				meet = append(meet, p)
			}
		}
		sort.SliceStable(meet, func(i, j int) bool {
			if meet[i].lease != meet[j].lease {
				return meet[i].lease > meet[j].lease // longest renew, least load
			}
			return meet[i].UnavailMean < meet[j].UnavailMean
		})
		if len(meet) == 0 {
			return nil
		}
		return meet[0]
	}
	sort.SliceStable(ok, func(i, j int) bool {
		if ok[i].UnavailMean != ok[j].UnavailMean {
			return ok[i].UnavailMean < ok[j].UnavailMean
		}
		return ok[i].lease > ok[j].lease
	})
	if len(ok) == 0 {
		return nil
	}
	return ok[0]
}
