import { useMemo, useState } from 'react'
import { Alert, Button, Card, Flex, Form, Typography } from 'antd'
import { PlayCircleOutlined } from '@ant-design/icons'
import type { Service } from '../../api/types'
import { ErrorAlert } from '../../components/ErrorAlert'
import { WriteAction } from '../../components/WriteAction'
import { usePermissions } from '../auth/queries'
import { NEEDS_DEBUG_RUN } from './format'
import { MethodPath } from './MethodPath'
import { ParameterForm } from './ParameterForm'
import { initialValues, parameterFields, toParameters, valuesFrom, type FormValues } from './parameterSchema'
import { useRunEndpoint } from './queries'
import { runProblem, type RunProblem } from './runProblem'
import type { EndpointDefinition, RunRead } from './types'
import { useElapsed } from './useElapsed'

/** Why the endpoint cannot be run by this user now, or null when it can. */
function blockedBecause(service: Service, endpoint: EndpointDefinition, mayRun: boolean): string | null {
  if (!mayRun) return NEEDS_DEBUG_RUN
  if (!service.base_url) return `${service.name} has no base URL: set it on the service so its debug endpoints can be run`
  if (endpoint.auth !== 'none' && !endpoint.secret_set) return `The endpoint's ${endpoint.auth === 'hmac' ? 'HMAC key' : 'token'} is not set: enter it in its settings, under Debug endpoints`
  return null
}

function ProblemAlert({ problem }: { problem: RunProblem }) {
  if (problem.kind === 'not-ready') {
    return <Alert type="warning" showIcon message="The endpoint cannot be run yet" description={problem.problem.detail} data-testid="debug-run-error" style={{ marginBottom: 16 }} />
  }
  const onFields = problem.kind === 'parameters' && problem.fields.length > 0 && problem.other.length === 0
  return (
    <ErrorAlert
      error={problem.problem}
      title={problem.kind === 'parameters' ? 'The parameters do not fit the endpoint' : 'The run did not start'}
      detail={onFields ? 'Correct the highlighted parameters and run again.' : undefined}
      messages={problem.other}
      testId="debug-run-error"
      style={{ marginBottom: 16 }}
    />
  )
}

interface Props {
  service: Service
  endpoint: EndpointDefinition
  /** The run shown below, whose parameters the form can take. */
  shownRun: RunRead | undefined
  onRan: (run: RunRead) => void
}

/** The endpoint's parameters and the Run button; a run waits for the service, up to its time
 * limit. Keyed by endpoint, so another endpoint starts from its own defaults. */
export function RunPanel({ service, endpoint, shownRun, onRan }: Props) {
  const permissions = usePermissions()
  const [form] = Form.useForm()
  const fields = useMemo(() => parameterFields(endpoint.parameters), [endpoint.parameters])
  const initial = useMemo(() => initialValues(fields), [fields])
  const runner = useRunEndpoint({ service: service.name, endpointId: endpoint.id })
  const [problem, setProblem] = useState<RunProblem | null>(null)
  const elapsed = useElapsed(runner.isPending)
  const blocked = blockedBecause(service, endpoint, permissions.can('debug', 'run', service))

  const run = () => {
    setProblem(null)
    runner.mutate(toParameters(fields, form.getFieldsValue(true) as FormValues), {
      onSuccess: onRan,
      onError: (error) => {
        const found = runProblem(error, fields.map((field) => field.name))
        form.setFields(found.fields)
        setProblem(found)
      },
    })
  }
  const canRefill = shownRun !== undefined && shownRun.endpoint_id === endpoint.id && fields.length > 0 && Object.keys(shownRun.parameters).length > 0

  return (
    <Card size="small" data-testid="debug-run-panel" title={endpoint.name}>
      <Flex vertical gap={4} style={{ marginBottom: 16 }}>
        <MethodPath method={endpoint.method} path={endpoint.path} />
        {endpoint.description && <Typography.Text type="secondary">{endpoint.description}</Typography.Text>}
      </Flex>
      {problem && <ProblemAlert problem={problem} />}
      {fields.length > 0 ? (
        <ParameterForm form={form} fields={fields} initial={initial} disabled={runner.isPending} onSubmit={run} />
      ) : (
        <Typography.Paragraph type="secondary">This endpoint takes no parameters.</Typography.Paragraph>
      )}
      <Flex gap={12} align="center" wrap>
        <WriteAction allowed={blocked === null} reason={blocked} testId="debug-run-blocked">
          <Button
            type="primary"
            icon={<PlayCircleOutlined />}
            loading={runner.isPending}
            onClick={() => (fields.length > 0 ? form.submit() : run())}
            data-testid="debug-run-button"
          >
            {runner.isPending ? 'Running…' : 'Run'}
          </Button>
        </WriteAction>
        {runner.isPending && (
          <Typography.Text type="secondary" data-testid="debug-running">
            {elapsed} s; the endpoint may take up to {endpoint.timeout_seconds} s
          </Typography.Text>
        )}
        {canRefill && !runner.isPending && (
          <Typography.Link onClick={() => form.setFieldsValue(valuesFrom(fields, shownRun.parameters))} data-testid="debug-refill">
            Use the parameters of run #{shownRun.id}
          </Typography.Link>
        )}
      </Flex>
    </Card>
  )
}
