// The c-ares engine.
