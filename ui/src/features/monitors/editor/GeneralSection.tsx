import { Card, Col, Form, Input, Radio, Row, Select, Switch, Typography } from 'antd'
import { usePermissions } from '../../auth/queries'
import { SEVERITIES } from './model'
import { useServiceOptions } from './queries'

const SEVERITY_LABELS = { critical: 'Critical', warning: 'Warning', info: 'Info' } as const

/** Service, name, description, severity, enabled and runbook. */
export function GeneralSection({ editing }: { editing: boolean }) {
  const services = useServiceOptions()
  const permissions = usePermissions()
  const options = (services.data?.items ?? []).map((service) => ({
    value: service.name,
    // Services the user may not write monitors for are listed, but cannot be chosen.
    disabled: !permissions.can('monitors', 'write', service),
    label: (
      <span>
        {service.display_name || service.name}{' '}
        {service.display_name && service.display_name !== service.name && <Typography.Text type="secondary">{service.name}</Typography.Text>}
      </span>
    ),
    search: `${service.name} ${service.display_name} ${service.team ?? ''}`.toLowerCase(),
  }))
  return (
    <Card title="General" size="small" data-testid="section-general">
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Form.Item
            label="Service"
            name="service"
            rules={[{ required: true, message: 'Choose the service whose data this monitor checks' }]}
            extra={editing ? 'A monitor stays with its service.' : undefined}
          >
            <Select
              showSearch
              disabled={editing}
              placeholder="Choose a service"
              loading={services.isPending}
              options={options}
              filterOption={(input, option) => (option?.search ?? '').includes(input.toLowerCase())}
              notFoundContent={services.isError ? 'Cannot load the services' : undefined}
              data-testid="monitor-service"
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item
            label="Name"
            name="name"
            rules={[
              { required: true, whitespace: true, message: 'Name the monitor' },
              { max: 100, message: 'At most 100 characters' },
            ]}
          >
            <Input placeholder="unpaid-orders" autoComplete="off" data-testid="monitor-name" />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item label="Description" name="description" extra="What dirty data this finds and why it matters; alerts quote it.">
        <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} data-testid="monitor-description" />
      </Form.Item>
      <Row gutter={16}>
        <Col xs={24} md={10}>
          <Form.Item label="Severity" name="severity">
            <Radio.Group optionType="button" buttonStyle="solid" data-testid="monitor-severity">
              {SEVERITIES.map((value) => (
                <Radio.Button key={value} value={value}>
                  {SEVERITY_LABELS[value]}
                </Radio.Button>
              ))}
            </Radio.Group>
          </Form.Item>
        </Col>
        <Col xs={24} md={4}>
          <Form.Item label="Enabled" name="enabled" valuePropName="checked">
            <Switch data-testid="monitor-enabled" />
          </Form.Item>
        </Col>
        <Col xs={24} md={10}>
          <Form.Item label="Runbook URL" name="runbook_url" rules={[{ type: 'url', message: 'Enter an http(s) URL' }]}>
            <Input placeholder="https://wiki.internal/runbooks/unpaid-orders" data-testid="monitor-runbook" />
          </Form.Item>
        </Col>
      </Row>
    </Card>
  )
}
