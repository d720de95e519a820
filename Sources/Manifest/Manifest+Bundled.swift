/// The manifests compiled into the binary from `Manifests/*.yaml` (see `scripts/embed-defaults.py`).
extension Manifest {
    /// The bundled manifests' names, sorted: `["iru"]`.
    public static var bundledNames: [String] { EmbeddedManifests.files.keys.sorted() }

    /// The exact text of the bundled manifest `name`, as in `Manifests/<name>.yaml`.
    public static func bundledText(_ name: String) -> String? { EmbeddedManifests.files[name] }

    /// Decodes the bundled manifest `name`; error locations read `Manifests/<name>.yaml:line:column`.
    /// - Throws: `ManifestErrors`, also when no manifest of that name is bundled.
    public static func bundled(_ name: String = "iru") throws(ManifestErrors) -> Manifest {
        let file = "Manifests/\(name).yaml"
        guard let text = bundledText(name) else {
            throw fileError(file, "no bundled manifest '\(name)'",
                            "one of \(bundledNames.joined(separator: ", "))")
        }
        return try Manifest(yaml: text, file: file)
    }
}
