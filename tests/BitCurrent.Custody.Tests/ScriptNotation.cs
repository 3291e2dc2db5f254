using System.Globalization;

namespace BitCurrent.Custody.Tests;

/// <summary>Bitcoin Core's test-script notation ("DUP HASH160 0x14 0x... EQUALVERIFY CHECKSIG") → bytes.</summary>
internal static class ScriptNotation
{
    private static readonly Dictionary<string, byte> Names = BuildNames();

    private static Dictionary<string, byte> BuildNames()
    {
        var names = new Dictionary<string, byte>(StringComparer.Ordinal);
        void Add(string name, int code)
        {
            names[name] = (byte)code;
            names["OP_" + name] = (byte)code;
        }
        Add("FALSE", 0x00); Add("PUSHDATA1", 0x4c); Add("PUSHDATA2", 0x4d); Add("PUSHDATA4", 0x4e); Add("1NEGATE", 0x4f);
        Add("RESERVED", 0x50); Add("TRUE", 0x51);
        for (var n = 1; n <= 16; n++) names["OP_" + n.ToString(CultureInfo.InvariantCulture)] = (byte)(0x50 + n);
        string[] ops =
        [
            "NOP", "VER", "IF", "NOTIF", "VERIF", "VERNOTIF", "ELSE", "ENDIF", "VERIFY", "RETURN", "TOALTSTACK", "FROMALTSTACK",
            "2DROP", "2DUP", "3DUP", "2OVER", "2ROT", "2SWAP", "IFDUP", "DEPTH", "DROP", "DUP", "NIP", "OVER", "PICK", "ROLL", "ROT",
            "SWAP", "TUCK", "CAT", "SUBSTR", "LEFT", "RIGHT", "SIZE", "INVERT", "AND", "OR", "XOR", "EQUAL", "EQUALVERIFY",
            "RESERVED1", "RESERVED2", "1ADD", "1SUB", "2MUL", "2DIV", "NEGATE", "ABS", "NOT", "0NOTEQUAL", "ADD", "SUB", "MUL", "DIV",
            "MOD", "LSHIFT", "RSHIFT", "BOOLAND", "BOOLOR", "NUMEQUAL", "NUMEQUALVERIFY", "NUMNOTEQUAL", "LESSTHAN", "GREATERTHAN",
            "LESSTHANOREQUAL", "GREATERTHANOREQUAL", "MIN", "MAX", "WITHIN", "RIPEMD160", "SHA1", "SHA256", "HASH160", "HASH256",
            "CODESEPARATOR", "CHECKSIG", "CHECKSIGVERIFY", "CHECKMULTISIG", "CHECKMULTISIGVERIFY", "NOP1", "CHECKLOCKTIMEVERIFY",
            "CHECKSEQUENCEVERIFY", "NOP4", "NOP5", "NOP6", "NOP7", "NOP8", "NOP9", "NOP10", "CHECKSIGADD",
        ];
        for (var i = 0; i < ops.Length; i++) Add(ops[i], 0x61 + i);
        Add("NOP2", 0xb1);
        Add("NOP3", 0xb2);
        Add("INVALIDOPCODE", 0xff);
        return names;
    }

    public static Script Parse(string text)
    {
        var builder = new ScriptBuilder();
        foreach (var word in text.Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (word.All(char.IsAsciiDigit) || (word.StartsWith('-') && word.Length > 1 && word[1..].All(char.IsAsciiDigit)))
            {
                builder.Number(long.Parse(word, CultureInfo.InvariantCulture));
            }
            else if (word.StartsWith("0x", StringComparison.Ordinal) && word.Length > 2)
            {
                builder.Raw(Convert.FromHexString(word[2..]));
            }
            else if (word.Length >= 2 && word[0] == '\'' && word[^1] == '\'')
            {
                builder.Push(System.Text.Encoding.ASCII.GetBytes(word[1..^1]));
            }
            else if (Names.TryGetValue(word, out var code))
            {
                builder.Op(code);
            }
            else
            {
                throw new FormatException("unknown script word " + word);
            }
        }
        return builder.ToScript();
    }
}
