import { useEffect, useState } from 'react'
import { App, Button, Drawer, Flex, Form, Input, Select, Space } from 'antd'
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons'
import type { Service } from '../../../api/types'
import { applyProblemToForm } from '../../../components/formErrors'
import { FormProblem, type FormProblemState } from '../../../components/FormProblem'
import { useCreateService, useUpdateService } from './queries'
import { SLUG_PATTERN, httpUrlRule, serviceCreate, servicePatch, serviceValues, type ServiceValues } from './serviceBody'

interface Props {
  open: boolean
  /** The service to edit, or null to register a new one. */
  service: Service | null
  onClose: () => void
  onSaved?: (service: Service) => void
}

export function ServiceFormDrawer({ open, service, onClose, onSaved }: Props) {
  const [form] = Form.useForm<ServiceValues>()
  const [problem, setProblem] = useState<FormProblemState | null>(null)
  const { message } = App.useApp()
  const create = useCreateService()
  const update = useUpdateService(service?.name ?? '')
  const saving = create.isPending || update.isPending
  const initial = serviceValues(service)

  useEffect(() => {
    if (open) {
      form.resetFields()
      form.setFieldsValue(serviceValues(service))
      setProblem(null)
    }
  }, [open, service, form])

  const onFinish = (values: ServiceValues) => {
    setProblem(null)
    const handlers = {
      onSuccess: (saved: Service) => {
        message.success(service ? `Service ${saved.name} saved` : `Service ${saved.name} registered`)
        onSaved?.(saved)
        onClose()
      },
      onError: (error: unknown) => setProblem(applyProblemToForm(form, error, ['links'])),
    }
    if (service) update.mutate(servicePatch(values, initial), handlers)
    else create.mutate(serviceCreate(values), handlers)
  }

  return (
    <Drawer
      open={open}
      onClose={onClose}
      width={560}
      destroyOnHidden
      title={service ? `Edit ${service.display_name || service.name}` : 'New service'}
      data-testid="service-drawer"
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="primary" loading={saving} onClick={() => form.submit()} data-testid="service-save">
            {service ? 'Save' : 'Create service'}
          </Button>
        </Flex>
      }
    >
      <FormProblem state={problem} title={service ? 'The service was not saved' : 'The service was not created'} />
      <Form<ServiceValues> form={form} layout="vertical" initialValues={initial} onFinish={onFinish} data-testid="service-form">
        <Form.Item
          label="Name"
          name="name"
          extra="Lowercase letters, digits and '-', 1 to 63 characters. Cannot be changed later."
          rules={[
            { required: true, message: 'A name is required' },
            { pattern: SLUG_PATTERN, message: "Use lowercase letters, digits and '-' (not at the start or end)" },
          ]}
        >
          <Input disabled={Boolean(service)} placeholder="orders" autoComplete="off" data-testid="service-name" />
        </Form.Item>
        <Form.Item label="Display name" name="display_name" rules={[{ max: 200 }]}>
          <Input placeholder="Orders API" data-testid="service-display-name" />
        </Form.Item>
        <Form.Item label="Team" name="team" rules={[{ max: 100 }]}>
          <Input placeholder="payments" data-testid="service-team" />
        </Form.Item>
        <Form.Item label="Description" name="description" rules={[{ max: 2000 }]}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} data-testid="service-description" />
        </Form.Item>
        <Form.Item
          label="Base URL"
          name="base_url"
          extra="Root URL of the service's HTTP API, used by checks and debug endpoints."
          rules={[httpUrlRule]}
        >
          <Input placeholder="https://orders.internal:8080" data-testid="service-base-url" />
        </Form.Item>
        <Form.Item label="Tags" name="tags">
          <Select mode="tags" tokenSeparators={[',', ' ']} placeholder="Type a tag and press Enter" open={false} suffixIcon={null} data-testid="service-tags" />
        </Form.Item>
        <Form.Item label="Links" required={false}>
          <Form.List name="links">
            {(fields, { add, remove }) => (
              <Flex vertical gap={8}>
                {fields.map((field) => (
                  <Space.Compact key={field.key} block>
                    <Form.Item name={[field.name, 'title']} noStyle rules={[{ required: true, message: 'Title required' }]}>
                      <Input placeholder="Title" aria-label={`Link ${field.name + 1} title`} style={{ width: '35%' }} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'url']} noStyle rules={[{ required: true, whitespace: true, message: 'A URL is required' }, httpUrlRule]}>
                      <Input placeholder="https://…" aria-label={`Link ${field.name + 1} URL`} style={{ width: '65%' }} />
                    </Form.Item>
                    <Button aria-label={`Remove link ${field.name + 1}`} icon={<MinusCircleOutlined />} onClick={() => remove(field.name)} />
                  </Space.Compact>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ title: '', url: '' })} data-testid="service-add-link">
                  Add link
                </Button>
              </Flex>
            )}
          </Form.List>
        </Form.Item>
      </Form>
    </Drawer>
  )
}
