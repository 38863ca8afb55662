/** What every screen shares: the merchant bar (always visible), the offline banner, buttons. */
import type { ReactNode } from 'react';
import { Bi, useT, type Lang } from '../i18n.tsx';

export function MerchantBar(props: {
  merchant: string;
  store: string;
  lang: Lang;
  onLang: (lang: Lang) => void;
  onHistory?: () => void;
  onSettings?: () => void;
}) {
  const t = useT();
  return (
    <header className="merchant-bar">
      <div className="merchant" data-testid="merchant-name" title={t('receivingMerchant')}>
        <span className="merchant-label">{t('receivingMerchant')}</span>
        <strong>{props.merchant}</strong>
        <span className="store">{props.store}</span>
      </div>
      <nav>
        {props.onHistory && (
          <button type="button" className="nav" onClick={props.onHistory} data-testid="nav-history">
            {t('history')}
          </button>
        )}
        {props.onSettings && (
          <button type="button" className="nav" onClick={props.onSettings} data-testid="nav-settings" aria-label={t('settings')}>
            ⚙
          </button>
        )}
        <button
          type="button"
          className="nav lang"
          data-testid="lang-toggle"
          onClick={() => props.onLang(props.lang === 'zh' ? 'en' : 'zh')}
          aria-label="中文 / English"
        >
          {props.lang === 'zh' ? 'EN' : '中'}
        </button>
      </nav>
    </header>
  );
}

export function OfflineBanner() {
  return (
    <div className="offline-banner" role="alert" data-testid="offline-banner">
      <Bi text="offline" />
    </div>
  );
}

export function Actions({ children }: { children: ReactNode }) {
  return <div className="actions">{children}</div>;
}

export function Button(props: {
  onClick: () => void;
  children: ReactNode;
  kind?: 'primary' | 'secondary' | 'danger';
  disabled?: boolean;
  testId?: string;
  wide?: boolean;
}) {
  return (
    <button
      type="button"
      className={`btn ${props.kind ?? 'secondary'} ${props.wide ? 'wide' : ''}`}
      disabled={props.disabled}
      onClick={props.onClick}
      data-testid={props.testId}
    >
      {props.children}
    </button>
  );
}

export function Amount({ yuan, size = 'large' }: { yuan: string; size?: 'large' | 'huge' | 'medium' }) {
  return (
    <div className={`amount amount-${size}`} data-testid="amount">
      <span className="currency">¥</span>
      <span className="digits">{yuan}</span>
    </div>
  );
}
