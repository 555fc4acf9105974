// A renderer for the subset of Helm that the stepwise chart uses, for machines without helm: Go's text/template with
// the Sprig functions, as Helm renders, plus Helm's include, tpl, required, fail, toYaml, fromYaml, toJson and lookup,
// values.yaml merged with the given values files, and Helm's built-in objects. It writes the manifests as
// `helm template` does ("---" and a "# Source:" line before each), NOTES.txt when --notes is given.
// Built in GOPATH mode against Debian's golang-github-masterminds-sprig-dev and golang-gopkg-yaml.v3-dev.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig"
	"gopkg.in/yaml.v3"
)

type valueFiles []string

func (v *valueFiles) String() string     { return strings.Join(*v, ",") }
func (v *valueFiles) Set(s string) error { *v = append(*v, s); return nil }

func main() {
	var files valueFiles
	chart := flag.String("chart", "", "the chart's folder")
	release := flag.String("release", "release", "the release name")
	namespace := flag.String("namespace", "default", "the release namespace")
	upgrade := flag.Bool("is-upgrade", false, "render as an upgrade rather than an install")
	notes := flag.Bool("notes", false, "write NOTES.txt instead of the manifests")
	flag.Var(&files, "values", "a values file (repeatable)")
	flag.Parse()

	out, err := render(*chart, files, *release, *namespace, *upgrade, *notes)
	if err != nil {
		fmt.Fprintln(os.Stderr, "Error:", err)
		os.Exit(1)
	}
	fmt.Print(out)
}

func render(chartDir string, files []string, release, namespace string, upgrade, notes bool) (string, error) {
	var chart map[string]interface{}
	if err := readYaml(filepath.Join(chartDir, "Chart.yaml"), &chart); err != nil {
		return "", err
	}
	values := map[string]interface{}{}
	if err := readYaml(filepath.Join(chartDir, "values.yaml"), &values); err != nil {
		return "", err
	}
	for _, file := range files {
		var given map[string]interface{}
		if err := readYaml(file, &given); err != nil {
			return "", err
		}
		values = merge(values, given)
	}

	name := fmt.Sprint(chart["name"])
	root := template.New(name)
	funcs := sprig.TxtFuncMap()
	funcs["include"] = func(name string, data interface{}) (string, error) {
		var buf bytes.Buffer
		err := root.ExecuteTemplate(&buf, name, data)
		return buf.String(), err
	}
	funcs["tpl"] = func(text string, data interface{}) (string, error) {
		t, err := root.Clone()
		if err != nil {
			return "", err
		}
		t, err = t.New("tpl").Parse(text)
		if err != nil {
			return "", err
		}
		var buf bytes.Buffer
		err = t.Execute(&buf, data)
		return buf.String(), err
	}
	funcs["required"] = func(message string, value interface{}) (interface{}, error) {
		if value == nil || value == "" {
			return nil, errors.New(message)
		}
		return value, nil
	}
	funcs["fail"] = func(message string) (string, error) { return "", errors.New(message) }
	funcs["toYaml"] = func(value interface{}) string {
		var buf bytes.Buffer
		encoder := yaml.NewEncoder(&buf)
		encoder.SetIndent(2)
		if err := encoder.Encode(value); err != nil {
			return ""
		}
		return strings.TrimSuffix(buf.String(), "\n")
	}
	funcs["fromYaml"] = func(text string) map[string]interface{} {
		result := map[string]interface{}{}
		_ = yaml.Unmarshal([]byte(text), &result)
		return result
	}
	funcs["toJson"] = func(value interface{}) string {
		data, _ := json.Marshal(value)
		return string(data)
	}
	// Helm's lookup answers from the cluster; `helm template` has none, and neither has this renderer.
	funcs["lookup"] = func(string, string, string, string) map[string]interface{} { return map[string]interface{}{} }
	root.Funcs(funcs).Option("missingkey=zero")

	templatesDir := filepath.Join(chartDir, "templates")
	entries, err := os.ReadDir(templatesDir)
	if err != nil {
		return "", err
	}
	var names []string
	for _, entry := range entries {
		if entry.IsDir() {
			continue
		}
		text, err := os.ReadFile(filepath.Join(templatesDir, entry.Name()))
		if err != nil {
			return "", err
		}
		templateName := name + "/templates/" + entry.Name()
		if _, err := root.New(templateName).Parse(string(text)); err != nil {
			return "", err
		}
		names = append(names, entry.Name())
	}
	sort.Strings(names)

	data := map[string]interface{}{
		"Values": values,
		"Release": map[string]interface{}{
			"Name": release, "Namespace": namespace, "Service": "Helm", "IsInstall": !upgrade, "IsUpgrade": upgrade, "Revision": 1,
		},
		"Chart": map[string]interface{}{
			"Name": chart["name"], "Version": chart["version"], "AppVersion": chart["appVersion"], "Description": chart["description"],
		},
		"Capabilities": map[string]interface{}{"KubeVersion": map[string]interface{}{"Version": "v1.31.0", "Major": "1", "Minor": "31"}},
	}

	var out strings.Builder
	for _, file := range names {
		isNotes := file == "NOTES.txt"
		if strings.HasPrefix(file, "_") || isNotes != notes {
			continue
		}
		templateName := name + "/templates/" + file
		data["Template"] = map[string]interface{}{"Name": templateName, "BasePath": name + "/templates"}
		var buf bytes.Buffer
		if err := root.ExecuteTemplate(&buf, templateName, data); err != nil {
			return "", err
		}
		text := strings.ReplaceAll(buf.String(), "<no value>", "")
		if strings.TrimSpace(text) == "" {
			continue
		}
		if notes {
			out.WriteString(text)
			continue
		}
		out.WriteString("---\n# Source: " + templateName + "\n" + strings.TrimLeft(text, "\n") + "\n")
	}
	return out.String(), nil
}

func readYaml(path string, into interface{}) error {
	text, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := yaml.Unmarshal(text, into); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// Helm's coalescing of values: maps merge key by key, anything else replaces, and null removes a default.
func merge(base, given map[string]interface{}) map[string]interface{} {
	result := map[string]interface{}{}
	for key, value := range base {
		result[key] = value
	}
	for key, value := range given {
		if value == nil {
			delete(result, key)
			continue
		}
		if givenMap, ok := value.(map[string]interface{}); ok {
			if baseMap, ok := result[key].(map[string]interface{}); ok {
				result[key] = merge(baseMap, givenMap)
				continue
			}
		}
		result[key] = value
	}
	return result
}
