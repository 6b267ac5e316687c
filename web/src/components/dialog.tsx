import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';

/** A modal: Escape closes it; the caller focuses the first field. */
export function Dialog(props: { title: string; onClose: () => void; children: ComponentChildren; testId?: string }) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        event.stopPropagation();
        props.onClose();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [props.onClose]);
  return (
    <div class="overlay">
      <div class="card dialog" role="dialog" aria-modal="true" aria-label={props.title} data-testid={props.testId}>
        <h2>{props.title}</h2>
        {props.children}
      </div>
    </div>
  );
}
