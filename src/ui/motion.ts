/** The visitor asked the system for less motion: views jump instead of gliding. */
export const reducedMotion = (): boolean =>
  window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
