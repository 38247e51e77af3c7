/**
 * A labelled text area for text to import or apply, with the reason a text was refused
 * under it: the area is then aria-invalid and its aria-errormessage points at the reason,
 * an alert so a screen reader says it. Ctrl+Enter (⌘+Enter) calls `onSubmit` when given.
 */
export function TextField({
  id,
  label,
  className,
  testId,
  rows,
  value,
  error,
  onChange,
  onSubmit,
  placeholder,
  autoComplete,
}: {
  /** the prefix of the label's, the area's and the reason's ids */
  id: string;
  label: string;
  className: string;
  testId: string;
  rows: number;
  value: string;
  error: string;
  onChange: (text: string) => void;
  onSubmit?: () => void;
  placeholder?: string;
  autoComplete?: string;
}) {
  return (
    <>
      <label className="paste-label" htmlFor={`${id}-text`}>
        {label}
      </label>
      <textarea
        id={`${id}-text`}
        className={className}
        data-testid={testId}
        rows={rows}
        spellCheck={false}
        wrap="off"
        autoComplete={autoComplete}
        placeholder={placeholder}
        value={value}
        aria-invalid={error ? true : undefined}
        aria-errormessage={error ? `${id}-error` : undefined}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={
          onSubmit &&
          ((e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) onSubmit();
          })
        }
      />
      <p className="paste-error" id={`${id}-error`} role="alert">
        {error}
      </p>
    </>
  );
}
