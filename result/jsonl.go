package result

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
)

// WriteJSONLines writes one JSON object per value.
func WriteJSONLines[T any](w io.Writer, xs []T) error {
	enc := json.NewEncoder(w)
	for _, x := range xs {
		if err := enc.Encode(x); err != nil {
			return err
		}
	}
	return nil
}

// ReadJSONLines reads one JSON object per line into T, strictly (unknown fields are
// errors naming the line).
func ReadJSONLines[T any](r io.Reader, source string) ([]T, error) {
	var out []T
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 64*1024*1024)
	line := 0
	for sc.Scan() {
		line++
		b := sc.Bytes()
		if len(b) == 0 {
			continue
		}
		var x T
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&x); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", source, line, err)
		}
		out = append(out, x)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s:%d: %v", source, line+1, err)
	}
	return out, nil
}

// ReadJSONLinesFile reads the file at path with ReadJSONLines (errors name the path and
// line); a missing file is an error satisfying errors.Is(err, fs.ErrNotExist).
func ReadJSONLinesFile[T any](path string) ([]T, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadJSONLines[T](f, path)
}
