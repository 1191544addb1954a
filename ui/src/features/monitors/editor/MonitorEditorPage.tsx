import { useMemo, useState } from 'react'
import { Alert, App, Button, Card, Col, Flex, Form, Result, Row, Skeleton } from 'antd'
import { SaveOutlined } from '@ant-design/icons'
import { Link, useNavigate, useParams, useSearchParams } from 'react-router'
import { ApiError } from '../../../api/errors'
import { FormProblem, type FormProblemState } from '../../../components/FormProblem'
import { PageHeading } from '../../../components/PageHeading'
import { usePageTitle } from '../../../components/PageTitle'
import { WriteAction } from '../../../components/WriteAction'
import { usePermissions } from '../../auth/queries'
import { CheckSection } from './CheckSection'
import { ConditionSection } from './ConditionSection'
import { applyEditorProblem } from './fieldErrors'
import { monitorToValues, newMonitorValues, toDefinition, toPreview, toUpdate, type MonitorFormValues } from './formValues'
import { GeneralSection } from './GeneralSection'
import type { Monitor, PreviewResult } from './model'
import { NotifySection } from './NotifySection'
import { PreviewPanel } from './PreviewPanel'
import { useMonitor, usePreview, useSaveMonitor, useServiceOptions } from './queries'
import { ScheduleSection } from './ScheduleSection'
import { QueryError } from '../../../components/QueryError'

const NEEDS_MONITORS_WRITE = 'You need the monitors write permission for this service'

/** What Preview needs valid: the check and its condition, not the name or notifications. */
const PREVIEW_FIELDS = [
  ['service'],
  ['datasource'],
  ['query'],
  ['http', 'path'],
  ['timeout_seconds'],
  ['condition', 'column'],
  ['condition', 'json_path'],
  ['condition', 'threshold'],
  ['condition', 'consecutive'],
]

/** The monitor editor: /monitors/new (optionally ?service=) and /monitors/:id/edit. */
export function MonitorEditorPage() {
  const { id } = useParams()
  const [params] = useSearchParams()
  const monitorId = id === undefined ? null : Number(id)
  const valid = monitorId === null || (Number.isInteger(monitorId) && monitorId > 0)
  const monitor = useMonitor(valid ? monitorId : null)
  usePageTitle(
    { title: 'Monitors', path: '/monitors' },
    ...(monitor.data ? [{ title: monitor.data.name, path: `/monitors/${monitor.data.id}` }, { title: 'Edit' }] : [{ title: id ? 'Edit' : 'New monitor' }]),
  )

  if (!valid || (monitor.error instanceof ApiError && monitor.error.status === 404)) {
    return (
      <div data-testid="monitor-not-found">
        <Result status="404" title="Monitor not found" subTitle={`There is no monitor with id “${id}”.`} extra={<Link to="/monitors">Back to the monitors</Link>} />
      </div>
    )
  }
  if (monitor.isError) {
    return <QueryError query={monitor} title="Cannot load the monitor" />
  }
  if (monitorId !== null && !monitor.data) {
    return (
      <Card>
        <Skeleton active paragraph={{ rows: 10 }} />
      </Card>
    )
  }
  return <MonitorEditor key={monitorId ?? 'new'} monitor={monitor.data ?? null} preselect={params.get('service')} />
}

function MonitorEditor({ monitor, preselect }: { monitor: Monitor | null; preselect: string | null }) {
  const [form] = Form.useForm<MonitorFormValues>()
  const navigate = useNavigate()
  const { message } = App.useApp()
  const permissions = usePermissions()
  const services = useServiceOptions()
  const save = useSaveMonitor(monitor?.id ?? null)
  const preview = usePreview(monitor?.id ?? null)
  const initial = useMemo(() => (monitor ? monitorToValues(monitor) : newMonitorValues(preselect)), [monitor, preselect])
  const [problem, setProblem] = useState<FormProblemState | null>(null)
  const [previewProblem, setPreviewProblem] = useState<FormProblemState | null>(null)
  const [result, setResult] = useState<PreviewResult | null>(null)
  const [stale, setStale] = useState(false)
  const service = Form.useWatch('service', form)

  const serviceName = monitor?.service ?? service
  const serviceRef = services.data?.items.find((item) => item.name === serviceName) ?? (serviceName ? { name: serviceName } : null)
  const canWrite = serviceRef ? permissions.can('monitors', 'write', serviceRef) : permissions.canAny('monitors', 'write')
  const readOnly = permissions.ready && !canWrite

  // The form is long: bring the first field with an error into view.
  const showFirstError = () => {
    const first = form.getFieldsError().find((field) => field.errors.length > 0)
    if (first) form.scrollToField(first.name, { block: 'center', behavior: 'smooth' })
  }

  /** The whole form store (hidden list fields included) once `names` (or all) validate. */
  const collect = async (names?: (string | number)[][]): Promise<MonitorFormValues | null> => {
    try {
      await (names ? form.validateFields(names) : form.validateFields())
    } catch {
      showFirstError()
      return null
    }
    return { ...initial, ...(form.getFieldsValue(true) as Partial<MonitorFormValues>) }
  }

  const onSave = async () => {
    setProblem(null)
    const values = await collect()
    if (!values) return
    try {
      let saved: Monitor
      if (monitor) {
        const patch = toUpdate(values, initial)
        if (Object.keys(patch).length === 0) {
          message.info('Nothing changed')
          navigate(`/monitors/${monitor.id}`)
          return
        }
        saved = await save.mutateAsync({ update: patch })
      } else {
        saved = await save.mutateAsync({ create: toDefinition(values) })
      }
      message.success(`Monitor ${saved.name} ${monitor ? 'saved' : 'created'}`)
      navigate(`/monitors/${saved.id}`)
    } catch (error) {
      setProblem(applyEditorProblem(form, error, values.type))
      showFirstError()
    }
  }

  const onPreview = async () => {
    setPreviewProblem(null)
    const values = await collect(PREVIEW_FIELDS)
    if (!values) return
    try {
      // A name is required by the definition but means nothing to a preview.
      setResult(await preview.mutateAsync(toPreview({ ...values, name: values.name.trim() || 'preview' })))
      setStale(false)
    } catch (error) {
      setResult(null)
      setPreviewProblem(applyEditorProblem(form, error, values.type))
      showFirstError()
    }
  }

  // Back to where the user came from; the monitor (or the list) when opened directly.
  const onCancel = () => {
    const index = (window.history.state as { idx?: number } | null)?.idx ?? 0
    if (index > 0) navigate(-1)
    else navigate(monitor ? `/monitors/${monitor.id}` : '/monitors')
  }

  return (
    <div data-testid="monitor-editor">
      <PageHeading
        title={monitor ? `Edit monitor ${monitor.name}` : 'New monitor'}
        subtitle={
          monitor
            ? `Changes take effect at once on save, for the next run of ${monitor.service}/${monitor.name}.`
            : 'A check on a service’s data: an SQL query or an HTTP endpoint, run on a schedule and compared with a condition.'
        }
      />
      {readOnly && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          message="Read only"
          description="You can see this monitor but not change it: that needs the monitors write permission for its service."
          data-testid="monitor-read-only"
        />
      )}
      <Form<MonitorFormValues>
        form={form}
        layout="vertical"
        initialValues={initial}
        disabled={readOnly}
        onValuesChange={() => setStale(true)}
        data-testid="monitor-form"
      >
        <Row gutter={[16, 16]} align="top">
          <Col xs={24} xl={14}>
            <Flex vertical gap={16}>
              <GeneralSection editing={Boolean(monitor)} />
              <CheckSection editing={Boolean(monitor)} readOnly={readOnly} />
              <ScheduleSection monitorId={monitor?.id ?? null} />
              <ConditionSection />
              <NotifySection />
              <FormProblem state={problem} title={`The monitor was not ${monitor ? 'saved' : 'created'}`} />
              <Flex justify="flex-end" gap={8}>
                <Button onClick={onCancel} disabled={false} data-testid="monitor-cancel">
                  Cancel
                </Button>
                <WriteAction allowed={!readOnly} reason={NEEDS_MONITORS_WRITE}>
                  <Button type="primary" icon={<SaveOutlined />} loading={save.isPending} onClick={() => void onSave()} data-testid="monitor-save">
                    {monitor ? 'Save changes' : 'Create monitor'}
                  </Button>
                </WriteAction>
              </Flex>
            </Flex>
          </Col>
          <Col xs={24} xl={10} style={{ position: 'sticky', top: 16 }}>
            <PreviewPanel
              result={result}
              problem={previewProblem}
              stale={stale && result !== null}
              running={preview.isPending}
              allowed={!readOnly}
              onRun={() => void onPreview()}
            />
          </Col>
        </Row>
      </Form>
    </div>
  )
}
