/** Something wrong with a scenario, said in the words the real component would use. */
export interface Problem {
  /** `cluster`, `subnet/<name>`, `router/<name>`, `node/<name>`, `pod/<name>`, `service/<name>` */
  readonly object: string;
  readonly field?: string;
  readonly text: string;
}
