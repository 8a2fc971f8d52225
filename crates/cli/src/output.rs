//! Terminal output helpers.

use anyhow::Result;
use qrcode::QrCode;
use qrcode::render::unicode::Dense1x2;

/// A QR code of an otpauth URI for the terminal, to scan with an authenticator app.
pub fn qr(uri: &str) -> Result<String> {
    let code = QrCode::new(uri.as_bytes())?;
    Ok(code.render::<Dense1x2>().quiet_zone(true).build())
}

/// Reads a new password: prompted twice on a terminal, else the first line of stdin.
pub fn read_new_password(prompt: &str) -> Result<zeroize::Zeroizing<String>> {
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() {
        let first = zeroize::Zeroizing::new(rpassword::prompt_password(format!("{prompt}: "))?);
        let second = zeroize::Zeroizing::new(rpassword::prompt_password("Repeat: ")?);
        if *first != *second {
            anyhow::bail!("the passwords differ");
        }
        Ok(first)
    } else {
        let mut line = zeroize::Zeroizing::new(String::new());
        std::io::stdin().read_line(&mut line)?;
        Ok(zeroize::Zeroizing::new(
            line.trim_end_matches(['\r', '\n']).to_owned(),
        ))
    }
}
