import { ErrorAlert } from './ErrorAlert'

export interface FormProblemState {
  error: unknown
  messages: string[]
}

/** The error of a form submit, above the form: detail, unplaced field messages, request id. */
export function FormProblem({ state, title }: { state: FormProblemState | null; title: string }) {
  if (!state) return null
  return <ErrorAlert error={state.error} title={title} messages={state.messages} testId="form-error" style={{ marginBottom: 16 }} />
}
