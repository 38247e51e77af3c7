import type { ReactNode } from 'react';

/** Lesson prose: `code` spans (in backticks) become <code>. */
export function withCode(text: string): ReactNode[] {
  return text.split('`').map((part, i) => (i % 2 === 1 ? <code key={i}>{part}</code> : part));
}

export function LessonText({ paragraphs }: { paragraphs: readonly string[] }) {
  return (
    <div className="lesson-text">
      {paragraphs.map((p, i) => (
        <p key={i}>{withCode(p)}</p>
      ))}
    </div>
  );
}
