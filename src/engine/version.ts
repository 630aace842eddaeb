// The engine's version, written into every result; a leaf so `pi5 --version` loads nothing else.

export const ENGINE_VERSION = '0.1.0';
