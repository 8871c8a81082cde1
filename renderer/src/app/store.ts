import { configureStore, type ThunkAction, type UnknownAction } from '@reduxjs/toolkit';
import { sessionReducer } from '../features/session/sessionSlice';
import { queueReducer } from '../features/queue/queueSlice';
import { taskReducer } from '../features/task/taskSlice';
import { intakeReducer } from '../features/intake/intakeSlice';
import { phoneReducer } from '../features/phone/phoneSlice';
import { hubReducer } from '../features/hub/hubSlice';

export const store = configureStore({
  reducer: {
    session: sessionReducer,
    queue: queueReducer,
    task: taskReducer,
    intake: intakeReducer,
    phone: phoneReducer,
    hub: hubReducer,
  },
});

export type RootState = ReturnType<typeof store.getState>;
export type AppDispatch = typeof store.dispatch;
export type AppThunk<R = Promise<void>> = ThunkAction<R, RootState, unknown, UnknownAction>;
