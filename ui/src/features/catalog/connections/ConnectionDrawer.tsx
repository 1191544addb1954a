import { useEffect, useMemo, useState } from 'react'
import { App, Button, Drawer, Flex, Form } from 'antd'
import { ThunderboltOutlined } from '@ant-design/icons'
import { useMutation } from '@tanstack/react-query'
import type { TestResult } from '../../../api/types'
import { applyProblemToForm } from '../../../components/formErrors'
import { FormProblem, type FormProblemState } from '../../../components/FormProblem'
import type { ConnectionApi } from './api'
import type { BaseValues } from './bodies'
import type { ConnectionBase, ConnectionKind } from './kind'
import { TestResultView } from './TestResultView'

interface Props<R extends ConnectionBase, C, P, V extends BaseValues> {
  kind: ConnectionKind<R, C, P, V>
  api: ConnectionApi<R, C, P>
  open: boolean
  /** The connection to edit, or null to add one. */
  row: R | null
  onClose: () => void
  onSaved: (saved: R) => void
}

interface TestOutcome {
  result: TestResult
}

function isEmpty(body: unknown): boolean {
  return typeof body === 'object' && body !== null && Object.keys(body).length === 0
}

/** Add or edit one connection, with "Test connection" on the values as they stand. */
export function ConnectionDrawer<R extends ConnectionBase, C, P, V extends BaseValues>({
  kind,
  api,
  open,
  row,
  onClose,
  onSaved,
}: Props<R, C, P, V>) {
  const [form] = Form.useForm<V>()
  const { message } = App.useApp()
  const [problem, setProblem] = useState<FormProblemState | null>(null)
  const [outcome, setOutcome] = useState<TestOutcome | null>(null)
  const initial = useMemo(() => kind.toValues(row), [kind, row])
  const Fields = kind.Fields

  useEffect(() => {
    if (open) {
      form.resetFields()
      form.setFieldsValue(initial as Parameters<typeof form.setFieldsValue>[0])
      setProblem(null)
      setOutcome(null)
    }
  }, [open, initial, form])

  const fail = (error: unknown) => setProblem(applyProblemToForm(form, error, [...(kind.nested ?? [])]))

  /** The whole form store (hidden fields keep their values) once the visible fields validate. */
  const collect = async (): Promise<V | null> => {
    try {
      await form.validateFields()
    } catch {
      return null
    }
    return { ...initial, ...(form.getFieldsValue(true) as Partial<V>) }
  }

  const save = useMutation({
    mutationFn: async (values: V): Promise<R | null> => {
      if (!row) return api.create(kind.toCreate(values))
      const patch = kind.toPatch(values, initial)
      if (isEmpty(patch)) return null
      return api.update(row.id, patch)
    },
  })

  const test = useMutation({
    mutationFn: async (values: V): Promise<TestOutcome> => {
      if (!row) return { result: await api.testUnsaved(kind.toCreate(values)) }
      // The server applies the unsaved changes to the saved definition, stored secrets included.
      const changes = kind.toPatch(values, initial)
      return { result: await api.test(row.id, isEmpty(changes) ? undefined : changes) }
    },
  })

  const onSave = async () => {
    setProblem(null)
    const values = await collect()
    if (!values) return
    try {
      const saved = await save.mutateAsync(values)
      if (saved === null) {
        message.info('Nothing changed')
        onClose()
        return
      }
      message.success(row ? `${saved.name} saved` : `${kind.singular[0].toUpperCase()}${kind.singular.slice(1)} ${saved.name} added`)
      onSaved(saved)
      onClose()
    } catch (error) {
      fail(error)
    }
  }

  const onTest = async () => {
    setProblem(null)
    setOutcome(null)
    const values = await collect()
    if (!values) return
    try {
      setOutcome(await test.mutateAsync(values))
    } catch (error) {
      fail(error)
    }
  }

  return (
    <Drawer
      open={open}
      onClose={onClose}
      width={kind.drawerWidth ?? 600}
      destroyOnHidden
      title={row ? `Edit ${kind.singular} ${row.name}` : `Add ${kind.singular}`}
      data-testid="connection-drawer"
      footer={
        <Flex justify="space-between" gap={8} wrap>
          <Button icon={<ThunderboltOutlined />} loading={test.isPending} onClick={() => void onTest()} data-testid="connection-test">
            Test connection
          </Button>
          <Flex gap={8}>
            <Button onClick={onClose}>Cancel</Button>
            <Button type="primary" loading={save.isPending} onClick={() => void onSave()} data-testid="connection-save">
              Save
            </Button>
          </Flex>
        </Flex>
      }
    >
      {outcome && (
        <div style={{ marginBottom: 16 }}>
          <TestResultView result={outcome.result} onClose={() => setOutcome(null)} />
        </div>
      )}
      <FormProblem state={problem} title={`The ${kind.singular} was not ${row ? 'saved' : 'added'}`} />
      <Form<V>
        form={form}
        layout="vertical"
        initialValues={initial as Parameters<typeof form.setFieldsValue>[0]}
        onFinish={() => void onSave()}
        data-testid="connection-form"
      >
        <Fields editing={row} />
      </Form>
    </Drawer>
  )
}
