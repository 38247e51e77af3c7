// Globals the engine may use because Node (>= 20) and every browser both provide them.
// Only tsconfig.engine.json includes this file: it stands in for lib "DOM" and @types/node,
// which the engine must not see (DESIGN.md, "Enforced, not hoped for"). Each declaration is a
// subset of lib.dom's, so engine code that compiles here also compiles under tsconfig.json.

declare const console: {
  log(...data: unknown[]): void;
  warn(...data: unknown[]): void;
  error(...data: unknown[]): void;
};

declare class TextEncoder {
  encode(input?: string): Uint8Array;
}

declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: ArrayBufferView | ArrayBuffer): string;
}

declare function btoa(data: string): string;
declare function atob(data: string): string;
