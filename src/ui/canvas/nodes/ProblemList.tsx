/** What is wrong with a canvas object, in the component's own words, under its label. */
export function ProblemList({
  problems,
  className,
}: {
  problems: readonly string[];
  className?: string;
}) {
  if (problems.length === 0) return null;
  return (
    <ul className={className ? `cv-problems ${className}` : 'cv-problems'}>
      {problems.map((t) => (
        <li key={t}>{t}</li>
      ))}
    </ul>
  );
}
