import './setup';
// antd's stylesheet first, so the desk's own rules (same specificity) win.
import 'virtual:antd-styles.css';
import './styles.css';
import './i18n';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Provider } from 'react-redux';
import { store } from './app/store';
import { Root } from './app/Root';
import { startDesk } from './app/startDesk';
import { markStartup } from './shared/startupMarks';

// Every module above is evaluated once this runs.
markStartup('boot');

const container = document.getElementById('root');
if (container) {
  const root = createRoot(container);
  void store.dispatch(startDesk()).then(() =>
    root.render(
      <StrictMode>
        <Provider store={store}>
          <Root />
        </Provider>
      </StrictMode>,
    ),
  );
}
