package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// stdioPath is the path that means standard input (for a scenario) or
// standard output (for an output flag).
const stdioPath = "-"

// pathArg is a path the user gave and where: a flag ("--html") or an
// argument ("scenario").
type pathArg struct {
	what, path string
}

// files are a command's inputs and outputs, checked together before
// anything runs: no output may be an input or another output, and every
// output must be writable.
type files struct {
	inputs, outputs []pathArg
	// dirs are output folders (chaos --out): files are written inside.
	dirs []pathArg
}

// input notes an input file. Library names and "-" are not files.
func (f *files) input(what, path string) {
	if path == "" || path == stdioPath {
		return
	}
	if _, err := os.Stat(path); err == nil {
		f.inputs = append(f.inputs, pathArg{what, path})
	}
}

// output notes an output file (empty: not asked for).
func (f *files) output(what, path string) {
	if path != "" {
		f.outputs = append(f.outputs, pathArg{what, path})
	}
}

// dir notes an output folder.
func (f *files) dir(what, path string) {
	if path != "" {
		f.dirs = append(f.dirs, pathArg{what, path})
	}
}

// toStdout reports whether some output is standard output ("-"); it then
// replaces the command's own printout.
func (f *files) toStdout() bool {
	for _, o := range f.outputs {
		if o.path == stdioPath {
			return true
		}
	}
	return false
}

// check refuses outputs that would overwrite an input or another output
// (the same file by os.SameFile, so hard and symbolic links count; by
// cleaned absolute path when a file does not exist yet), more than one
// output to standard output, and outputs that cannot be written. It creates
// and removes a temporary file next to each output to prove the folder
// writable, and writes nothing else.
func (f *files) check() error {
	type known struct {
		pathArg
		abs   string
		st    os.FileInfo
		isDir bool // an output folder (chaos --out)
	}
	var seen []known
	stdout := ""
	for i, o := range append(append([]pathArg{}, f.outputs...), f.dirs...) {
		isDir := i >= len(f.outputs)
		if o.path == stdioPath && !isDir {
			if stdout != "" {
				return fmt.Errorf("%s and %s both write to standard output (-); give one of them a file", stdout, o.what)
			}
			stdout = o.what
			continue
		}
		abs, err := filepath.Abs(o.path)
		if err != nil {
			return fmt.Errorf("%s %s: %v", o.what, o.path, err)
		}
		st, err := os.Stat(abs)
		switch {
		case err == nil && st.IsDir() && !isDir:
			return fmt.Errorf("%s %s: is a folder; give a file name", o.what, o.path)
		case err == nil && !st.IsDir() && isDir:
			return fmt.Errorf("%s %s: is a file; give a folder", o.what, o.path)
		case err != nil && !errors.Is(err, os.ErrNotExist):
			return fmt.Errorf("%s %s: %v", o.what, o.path, err)
		}
		if err != nil {
			st = nil
		}
		if st != nil && !st.Mode().IsRegular() && !st.IsDir() {
			continue // a device such as /dev/null: written in place, never lost
		}
		seen = append(seen, known{o, abs, st, isDir})
	}
	for _, in := range f.inputs {
		abs, err := filepath.Abs(in.path)
		if err != nil {
			continue
		}
		ist, err := os.Stat(abs)
		if err != nil {
			continue
		}
		for _, o := range seen {
			if o.st != nil && os.SameFile(ist, o.st) || o.abs == abs {
				return fmt.Errorf("%s %s is the same file as the %s %s: refusing to overwrite it", o.what, o.path, in.what, in.path)
			}
		}
	}
	for i, a := range seen {
		for _, b := range seen[i+1:] {
			if a.abs == b.abs || a.st != nil && b.st != nil && os.SameFile(a.st, b.st) {
				return fmt.Errorf("%s %s and %s %s are the same file: each output needs its own", a.what, a.path, b.what, b.path)
			}
		}
	}
	for _, o := range seen {
		dir, walkUp := o.abs, true // an output folder may be created
		if !o.isDir {
			dir, walkUp = filepath.Dir(o.abs), false
		}
		if err := probeDir(dir, walkUp); err != nil {
			return fmt.Errorf("%s %s: cannot write there: %v", o.what, o.path, err)
		}
	}
	return nil
}

// probeDir proves a folder writable by creating and removing a file in it.
// With walkUp, a folder that does not exist yet is fine if its parent is
// writable (chaos --out creates it).
func probeDir(dir string, walkUp bool) error {
	st, err := os.Stat(dir)
	if errors.Is(err, os.ErrNotExist) && walkUp {
		parent := filepath.Dir(dir)
		if parent == dir {
			return err
		}
		return probeDir(parent, true)
	}
	if err != nil {
		return err
	}
	if !st.IsDir() {
		return fmt.Errorf("%s is not a folder", dir)
	}
	f, err := os.CreateTemp(dir, ".wmsim-probe-*")
	if err != nil {
		return err
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

// atomicFile is an output being written: a temporary file in the target's
// folder, renamed over the target by commit, removed by abort. A failed or
// interrupted command thus never leaves a half-written file over a good one.
type atomicFile struct {
	*os.File
	path string
	done bool
}

// createAtomic starts writing path. Targets that are not regular files
// (/dev/null, a FIFO) are written in place: renaming over them would
// replace them.
func createAtomic(path string) (*atomicFile, error) {
	// A symbolic link is followed: its target is replaced, the link kept.
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real
	}
	if st, err := os.Stat(path); err == nil && !st.Mode().IsRegular() {
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return nil, err
		}
		return &atomicFile{File: f, path: ""}, nil
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return nil, err
	}
	return &atomicFile{File: f, path: path}, nil
}

// commit closes the file and renames it over the target.
func (a *atomicFile) commit() error {
	if a.done {
		return nil
	}
	a.done = true
	err := a.File.Close()
	if a.path == "" {
		return err
	}
	if err == nil {
		err = os.Chmod(a.File.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(a.File.Name(), a.path)
	}
	if err != nil {
		os.Remove(a.File.Name())
	}
	return err
}

// abort closes and removes the temporary file; the target is untouched.
func (a *atomicFile) abort() {
	if a.done {
		return
	}
	a.done = true
	a.File.Close()
	if a.path != "" {
		os.Remove(a.File.Name())
	}
}

// writeOutput writes one output: to stdout for "-", else atomically to path.
func writeOutput(path string, stdout io.Writer, write func(io.Writer) error) error {
	if path == stdioPath {
		return write(stdout)
	}
	f, err := createAtomic(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.abort()
		return err
	}
	return f.commit()
}
