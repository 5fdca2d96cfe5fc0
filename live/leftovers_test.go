package live

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// ownListeningPorts returns the TCP ports this process listens on, from /proc: the
// sockets among its file descriptors that /proc/net/tcp{,6} lists in state LISTEN.
func ownListeningPorts(t *testing.T) []int {
	t.Helper()
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		skipLive(t, "no /proc/self/fd here (%v): cannot check for listening sockets", err)
	}
	inodes := map[string]bool{}
	for _, fd := range fds {
		link, err := os.Readlink(filepath.Join("/proc/self/fd", fd.Name()))
		if err == nil && strings.HasPrefix(link, "socket:[") {
			inodes[strings.TrimSuffix(strings.TrimPrefix(link, "socket:["), "]")] = true
		}
	}
	var ports []int
	for _, table := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		for _, row := range procNetTCP(table) {
			if row.state == "0A" && inodes[row.inode] {
				ports = append(ports, row.port)
			}
		}
	}
	return ports
}

// listeningPorts returns every TCP port in state LISTEN on this machine.
func listeningPorts() map[int]bool {
	out := map[int]bool{}
	for _, table := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		for _, row := range procNetTCP(table) {
			if row.state == "0A" {
				out[row.port] = true
			}
		}
	}
	return out
}

type tcpRow struct {
	port  int
	state string
	inode string
}

func procNetTCP(path string) []tcpRow {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	var rows []tcpRow
	sc := bufio.NewScanner(f)
	sc.Scan() // header
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 10 {
			continue
		}
		_, hexPort, ok := strings.Cut(fields[1], ":")
		if !ok {
			continue
		}
		port, err := strconv.ParseInt(hexPort, 16, 32)
		if err != nil {
			continue
		}
		rows = append(rows, tcpRow{port: int(port), state: fields[3], inode: fields[9]})
	}
	return rows
}

// childProcesses returns the pids of this process's children, living or zombie.
func childProcesses(t *testing.T) []int {
	t.Helper()
	self := os.Getpid()
	entries, err := os.ReadDir("/proc")
	if err != nil {
		skipLive(t, "no /proc here (%v): cannot check for child processes", err)
	}
	var kids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...; comm may contain spaces and parentheses.
		s := string(stat)
		rest := s[strings.LastIndexByte(s, ')')+1:]
		f := strings.Fields(rest)
		if len(f) >= 2 {
			if ppid, err := strconv.Atoi(f[1]); err == nil && ppid == self {
				kids = append(kids, pid)
			}
		}
	}
	return kids
}

// assertNothingLeft fails the test if any child process, any listening socket of this
// process, or any of the given ports (still listening, by anyone) or pids remains.
func assertNothingLeft(t *testing.T, ports, pids []int) {
	t.Helper()
	if kids := childProcesses(t); len(kids) > 0 {
		t.Errorf("child processes left behind: %v", kids)
	}
	if own := ownListeningPorts(t); len(own) > 0 {
		t.Errorf("this process still listens on ports %v", own)
	}
	listening := listeningPorts()
	for _, p := range ports {
		if listening[p] {
			t.Errorf("port %d used by the run is still listening", p)
		}
	}
	for _, pid := range pids {
		if _, err := os.Stat(filepath.Join("/proc", strconv.Itoa(pid))); err == nil {
			t.Errorf("holder process %d still exists", pid)
		}
	}
}
