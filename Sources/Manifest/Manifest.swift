// The manifest: schema, strict decoding with file:line:column errors, and expansion.
