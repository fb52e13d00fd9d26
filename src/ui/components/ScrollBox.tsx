import type { ReactNode } from 'react';
import './learn.css';

/**
 * A horizontally scrollable box for figures wider than a small screen. It is focusable so keyboard
 * users can scroll it too (axe: scrollable-region-focusable), and named so they know what it holds.
 */
export function ScrollBox({ label, children, className }: { label: string; children: ReactNode; className?: string }) {
  return (
    <div className={`fig-scroll${className ? ` ${className}` : ''}`} role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
