package allow

import "time"

func allowed(m map[string]int) int {
	//purity:allow the values are distinct, so the minimum is one entry in any order
	for _, v := range m {
		return v
	}
	_ = time.Now() //purity:allow a test of the same-line form
	return 0
}

func reasonless() {
	//purity:allow // want `//purity:allow needs a reason`
	_ = time.Now() // want `time.Now reads the wall clock`
}

//purity:allow nothing to allow below // want `//purity:allow allows nothing here`
func unused() {}
