/**
 * A labelled input of a desk form with the graph's complaint about it: the message under the field,
 * `aria-invalid` and `aria-describedby`, so the field named by an error's `argumentPath` is marked
 * (and focused, useFocusFirstInvalid) where the person typed it.
 */
import type { FieldProblem } from '../app/errors.ts';

export interface TextFieldProps {
  id: string;
  label: string;
  value: string;
  onValue(value: string): void;
  problem?: FieldProblem | undefined;
  type?: 'text' | 'password' | 'email' | 'tel' | 'date' | 'number' | 'textarea';
  required?: boolean;
  autoComplete?: string;
  inputMode?: 'numeric' | 'text' | 'email';
}

export function TextField(props: TextFieldProps) {
  const { id, label, value, onValue, problem, type = 'text', required = true, autoComplete, inputMode } = props;
  const common = {
    id,
    value,
    required,
    autoComplete,
    inputMode,
    onInput: (event: Event) => onValue((event.currentTarget as HTMLInputElement).value),
    'aria-invalid': problem ? ('true' as const) : undefined,
    'aria-describedby': problem ? `${id}-error` : undefined,
  };
  return (
    <>
      <label for={id}>{label}</label>
      {type === 'textarea' ? <textarea rows={3} {...common} /> : <input type={type} {...common} />}
      {problem && (
        <p class="field-error" id={`${id}-error`}>
          {problem.message}
        </p>
      )}
    </>
  );
}
