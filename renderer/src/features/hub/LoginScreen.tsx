import { useState } from 'react';
import { Alert, Button, Form, Input, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { login } from './thunks';
import { viewChosen } from './hubSlice';

interface LoginForm {
  url?: string;
  username: string;
  password: string;
}

/** Shown when a hub is configured and there is no valid session. */
export function LoginScreen() {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const { session, loginBusy, loginError, view } = useAppSelector((s) => s.hub);
  const [form] = Form.useForm<LoginForm>();
  const [url] = useState(session?.hubUrl ?? '');
  const accounts = session?.embedded?.accounts ?? [];

  const submit = (values: LoginForm) =>
    void dispatch(
      login({ username: values.username.trim(), password: values.password, url: values.url || undefined }),
    );

  return (
    <section className="login-screen" aria-labelledby="login-title">
      <div className="login-card">
        <h1 id="login-title">{t('hub.loginTitle')}</h1>
        <p className="muted">{t('hub.loginSubtitle')}</p>
        <Form
          form={form}
          layout="vertical"
          size="middle"
          initialValues={{ url }}
          onFinish={submit}
          requiredMark={false}
        >
          <Form.Item name="url" label={t('hub.url')} extra={t('hub.urlHint')}>
            <Input data-testid="login-url" disabled={Boolean(session?.embedded)} autoComplete="off" />
          </Form.Item>
          <Form.Item
            name="username"
            label={t('hub.username')}
            rules={[{ required: true, message: t('hub.username') }]}
          >
            <Input data-testid="login-username" autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('hub.password')}
            rules={[{ required: true, message: t('hub.password') }]}
          >
            <Input.Password data-testid="login-password" autoComplete="current-password" />
          </Form.Item>
          {loginError ? <Alert type="error" showIcon title={loginError} className="login-error" /> : null}
          <Button type="primary" htmlType="submit" block loading={loginBusy} data-testid="login-submit">
            {t('hub.login')}
          </Button>
          {view === 'login' ? (
            <Button block type="link" onClick={() => dispatch(viewChosen('queue'))}>
              {t('lead.cancel')}
            </Button>
          ) : null}
        </Form>
        {accounts.length > 0 ? (
          <div className="login-demo" data-testid="login-demo">
            <Alert type="info" showIcon title={t('hub.embedded')} />
            <Table<{ username: string; password: string; role: string }>
              size="small"
              pagination={false}
              rowKey="username"
              dataSource={accounts}
              columns={[
                { title: t('hub.account'), dataIndex: 'username', render: (v: string) => <code>{v}</code> },
                {
                  title: t('hub.role'),
                  dataIndex: 'role',
                  render: (role: string) => t(`hub.roles.${role}`, { defaultValue: role }),
                },
                { title: t('hub.password'), dataIndex: 'password', render: (v: string) => <code>{v}</code> },
                {
                  title: '',
                  key: 'use',
                  render: (_: unknown, account) => (
                    <Button
                      size="small"
                      data-testid={`use-${account.username}`}
                      onClick={() =>
                        form.setFieldsValue({ username: account.username, password: account.password })
                      }
                    >
                      {t('hub.useAccount')}
                    </Button>
                  ),
                },
              ]}
            />
          </div>
        ) : null}
      </div>
    </section>
  );
}
