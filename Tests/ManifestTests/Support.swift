import Manifest

/// The errors decoding `yaml` reports, empty when it decodes.
func decodeErrors(_ yaml: String, file: String = "m.yaml") -> [ManifestError] {
    do {
        _ = try Manifest(yaml: yaml, file: file)
        return []
    } catch {
        return error.errors
    }
}

/// Decodes `yaml`, which the test expects to be valid.
func decode(_ yaml: String) throws -> Manifest {
    try Manifest(yaml: yaml, file: "m.yaml")
}

/// Expands with `variables` and `filter`.
func expand(_ manifest: Manifest, _ variables: [String: String] = [:],
            filter: ExpansionFilter = ExpansionFilter()) throws -> Expansion {
    try manifest.expand(variables: variables, filter: filter)
}

/// The lines every test manifest starts with: lines 1–5, endpoints from line 6.
let head = """
    manifest: 1
    name: t
    variables:
      sub: {description: "a tenant"}
    endpoints:

    """
