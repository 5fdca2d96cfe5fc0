package sweep

// Open opens dir (created and locked by the caller) for plan's sweep by this leasesim
// (version): its store of points (OpenStore, which refuses a directory written by a
// different sweep) and sweep.json, which names the scenario, the file it was read from,
// the swept parameters and the command that ran the sweep (for `leasesim report`).
func Open(dir string, plan *Plan, version, file, command string) (*Store, error) {
	store, err := OpenStore(dir, NewManifest(plan, version))
	if err != nil {
		return nil, err
	}
	meta := Meta{Scenario: plan.Base.Name, File: file, Params: plan.Swept, Command: command}
	if err := WriteMeta(dir, meta); err != nil {
		store.Close()
		return nil, err
	}
	return store, nil
}
