// Toasts the Polaris way (inside the Frame); one at a time, the newest wins.
import { Toast } from '@shopify/polaris';
import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';

type Show = (message: string, opts?: { error?: boolean }) => void;
const ToastContext = createContext<Show>(() => {});

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toast, setToast] = useState<{ message: string; error: boolean; key: number } | null>(null);
  const show = useCallback<Show>((message, opts) => setToast({ message, error: opts?.error ?? false, key: Date.now() }), []);
  return (
    <ToastContext.Provider value={show}>
      {children}
      {toast && <Toast key={toast.key} content={toast.message} error={toast.error} onDismiss={() => setToast(null)} duration={4000} />}
    </ToastContext.Provider>
  );
}

export function useToast(): Show {
  return useContext(ToastContext);
}
