/**
 * Sound and vibration (UX.md §5): one short beep on a read, a bright chime on success, a low double
 * buzz on failure. Never the only signal: every screen also says it in words and colour.
 */
let audio: AudioContext | undefined;

function tone(freq: number, startS: number, durS: number, type: OscillatorType = 'sine'): void {
  try {
    audio ??= new AudioContext();
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.type = type;
    osc.frequency.value = freq;
    gain.gain.value = 0.15;
    osc.connect(gain).connect(audio.destination);
    const t0 = audio.currentTime + startS;
    osc.start(t0);
    osc.stop(t0 + durS);
  } catch {
    // No audio device (or autoplay blocked): the screen still says it.
  }
}

export const feedback = {
  read: () => tone(1800, 0, 0.08, 'square'),
  success: () => {
    tone(880, 0, 0.12);
    tone(1320, 0.12, 0.2);
  },
  failure: () => {
    tone(220, 0, 0.15, 'sawtooth');
    tone(220, 0.22, 0.15, 'sawtooth');
    navigator.vibrate?.([120, 80, 120]);
  },
  /** "支付宝到账 12.34 元" where the browser has a Chinese voice. */
  announce: (yuan: string) => {
    try {
      const synth = globalThis.speechSynthesis;
      if (!synth || !synth.getVoices().some((v) => v.lang.startsWith('zh'))) return;
      const u = new SpeechSynthesisUtterance(`支付宝到账 ${yuan} 元`);
      u.lang = 'zh-CN';
      synth.speak(u);
    } catch {
      // optional
    }
  },
};
