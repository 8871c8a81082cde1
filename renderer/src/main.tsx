import './setup';
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
store.dispatch(startDesk());

const container = document.getElementById('root');
if (container) {
  createRoot(container).render(
    <StrictMode>
      <Provider store={store}>
        <Root />
      </Provider>
    </StrictMode>,
  );
}
