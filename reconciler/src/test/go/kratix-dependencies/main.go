// Writes a Promise's static dependencies file as Kratix does, with the yaml.v2 encoder Kratix is
// built with (Debian's golang-gopkg-yaml.v2-dev is v2.4.0, the version in Kratix's go.mod).
//
// Usage: kratix-dependencies IN.json OUT.yaml
//
// IN.json holds the Promise's spec.dependencies as a JSON array. The objects are decoded as
// Kubernetes' unstructured decoder decodes an API server's JSON (integers as int64, other numbers
// as float64) and encoded one after another on one encoder that is never closed, as
// Dependencies.Marshal in Kratix's api/v1alpha1/promise_types.go does.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/ioutil"
	"os"

	"gopkg.in/yaml.v2"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: kratix-dependencies IN.json OUT.yaml")
		os.Exit(2)
	}
	in, err := ioutil.ReadFile(os.Args[1])
	check(err)
	decoder := json.NewDecoder(bytes.NewReader(in))
	decoder.UseNumber()
	var dependencies []interface{}
	check(decoder.Decode(&dependencies))
	buf := new(bytes.Buffer)
	encoder := yaml.NewEncoder(buf)
	for _, dependency := range dependencies {
		check(encoder.Encode(unstructured(dependency)))
	}
	check(ioutil.WriteFile(os.Args[2], buf.Bytes(), 0o644))
}

func unstructured(value interface{}) interface{} {
	switch v := value.(type) {
	case map[string]interface{}:
		for key, item := range v {
			v[key] = unstructured(item)
		}
		return v
	case []interface{}:
		for i, item := range v {
			v[i] = unstructured(item)
		}
		return v
	case json.Number:
		if i, err := v.Int64(); err == nil {
			return i
		}
		f, err := v.Float64()
		check(err)
		return f
	}
	return value
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
