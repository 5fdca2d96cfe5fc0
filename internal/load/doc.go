// Package load finds and reads the scenario files a command names: a path, the name of
// a built-in scenario ("lease-cut", "lease-cut.yaml" or "builtin:lease-cut.yaml") when
// no such file exists, or a directory searched for *.yaml, *.yml and *.json. Each
// scenario keeps where it came from and its exact bytes (Source), which failure bundles
// copy so that a replay does not depend on the file still being there.
package load
