import type { ReactNode } from 'react';

/**
 * A section title that folds its section: a heading holding one button, so a
 * screen reader hears the section's name, its level and whether it is open.
 */
export function FoldTitle({
  id,
  open,
  onToggle,
  children,
  testId,
}: {
  id: string;
  open: boolean;
  onToggle: () => void;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <h2 id={id} className="panel-title fold-title">
      <button
        type="button"
        className="fold-toggle"
        aria-expanded={open}
        data-testid={testId}
        onClick={onToggle}
      >
        <span className="fold-caret" aria-hidden="true" />
        {children}
      </button>
    </h2>
  );
}
