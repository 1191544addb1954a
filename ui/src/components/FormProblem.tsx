import type { AppliedProblem } from './formErrors'
import { ErrorAlert } from './ErrorAlert'

export type FormProblemState = AppliedProblem

/**
 * The error of a form submit, above the form. When the messages sit on the
 * fields already, it says so instead of repeating them; the request id stays.
 */
export function FormProblem({ state, title }: { state: FormProblemState | null; title: string }) {
  if (!state) return null
  const onFields = state.placed && state.messages.length === 0
  return (
    <ErrorAlert
      error={state.error}
      title={title}
      detail={onFields ? 'Correct the highlighted fields and try again.' : undefined}
      messages={state.messages}
      testId="form-error"
      style={{ marginBottom: 16 }}
    />
  )
}
