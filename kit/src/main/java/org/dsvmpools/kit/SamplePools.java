package org.dsvmpools.kit;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.util.Arrays;
import java.util.Base64;

/** Pool requests as a user would POST them, with a freshly generated SSH key. */
public final class SamplePools {
    private SamplePools() {
    }

    public static String document(String name) {
        return "{\"name\":\"" + name + "\",\"location\":\"westeurope\",\"vmSize\":\"Standard_D4s_v5\","
                + "\"capacity\":{\"min\":0,\"max\":4,\"initial\":2},"
                + "\"access\":{\"adminUsername\":\"pooladmin\",\"sshPublicKeys\":[\"" + sshKey() + "\"],"
                + "\"allowedSourceCidrs\":[\"203.0.113.0/24\"]}}";
    }

    private static String sshKey() {
        try {
            byte[] x509 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded();
            ByteArrayOutputStream blob = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(blob);
            out.writeInt(11);
            out.writeBytes("ssh-ed25519");
            out.writeInt(32);
            out.write(Arrays.copyOfRange(x509, x509.length - 32, x509.length));
            return "ssh-ed25519 " + Base64.getEncoder().encodeToString(blob.toByteArray()) + " dev@laptop";
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
